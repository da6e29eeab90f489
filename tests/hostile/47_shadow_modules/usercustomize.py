raise SystemExit("the shadowing usercustomize.py was imported")
