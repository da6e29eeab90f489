"""Grading a whole class: one worker process per submission, a CSV and feedback per student."""
