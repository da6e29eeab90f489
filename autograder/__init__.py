"""Autograd by Hand: the autograder."""

__version__ = "0.1.0"
