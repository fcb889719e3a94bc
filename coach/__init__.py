"""Coach: guided self-massage and breathing in the terminal."""

__version__ = "0.1.0"
