"""Helpers every command uses, written once: files, the project, policy values."""
