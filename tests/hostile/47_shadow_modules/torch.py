raise SystemExit("the shadowing torch.py was imported")
