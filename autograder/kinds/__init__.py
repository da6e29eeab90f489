"""Kinds of exercise: what the child calls and how each kind is judged, one module per kind."""
