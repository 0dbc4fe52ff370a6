"""GenLab: the numpy side of an in-browser lesson on generative AI.

Each module teaches one idea and imports only numpy and the standard library:
``sampling`` (temperature, softmax, drawing a token) and ``lm`` (a tiny neural
language model that predicts the next word).
"""

__version__ = "0.1.0"
