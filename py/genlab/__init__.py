"""GenLab: the numpy side of an in-browser lesson on generative AI.

Each module teaches one idea and imports only numpy and the standard library:
``sampling`` (temperature, softmax, drawing a token), ``lm`` (a tiny neural
language model that predicts the next word), ``nn`` (multi-layer perceptrons
with hand-written backward passes, Adam and SGD) and ``gan`` (a generator and a
discriminator trained against each other on 2D shapes). ``api`` turns them
into plain data for the browser's worker.
"""

__version__ = "0.1.0"
