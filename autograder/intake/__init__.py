"""Taking in a submission: a folder, a zip or a notebook becomes the files to grade."""
