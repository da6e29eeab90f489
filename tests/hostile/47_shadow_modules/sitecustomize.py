raise SystemExit("the shadowing sitecustomize.py was imported")
