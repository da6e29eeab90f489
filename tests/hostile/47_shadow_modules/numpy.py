raise SystemExit("the shadowing numpy.py was imported")
