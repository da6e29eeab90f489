"""Known-wrong variants of the reference solutions, one module per set (see tests/test_mutants.py)."""
