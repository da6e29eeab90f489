"""Grading: plans and seeds, running the child, judging, explaining, the torch reference, comparison,
diagnosis, the static policy check."""
