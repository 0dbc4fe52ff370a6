"""GenLab: the numpy side of an in-browser lesson on generative AI.

Each module teaches one idea and imports only numpy and the standard library:
``sampling`` (temperature, softmax, drawing a token), ``bpe`` (a byte-level BPE
tokenizer), ``lm`` (a tiny transformer that predicts the next token), ``nn``
(layers with hand-written backward passes, Adam and SGD), ``gan`` (a generator
and a discriminator trained against each other on 2D shapes), ``diffusion``,
``classify`` and ``art``. ``api`` turns them into plain data for the browser's worker.
"""

__version__ = "0.1.0"
