"""Course and site helpers: exercise pages, the student pack."""
