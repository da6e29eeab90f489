raise SystemExit("the shadowing conftest.py was imported")
