# Two commands do everything on a fresh clone:  `make serve`  and  `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MATHJAX_VERSION := 3.2.2
MATHJAX := .cache/mathjax/installed-$(MATHJAX_VERSION)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build test lint check grade bench clean

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (this course needs Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# MathJax typesets the math when the site is built (node, overrides/page_weight.py): readers load no math
# renderer. Fetched once from the npm registry.
$(MATHJAX):
	@mkdir -p .cache/npm
	cd .cache/npm && rm -rf package && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null \
		&& tar -xzf mathjax-$(MATHJAX_VERSION).tgz
	rm -rf .cache/mathjax && mv .cache/npm/package .cache/mathjax && touch $(MATHJAX)

build: $(STAMP) $(MATHJAX)
	$(BIN)/mkdocs build --strict

serve: build
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory site

test: $(STAMP) $(MATHJAX)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)
	$(BIN)/python -m autograder check

bench: $(STAMP) $(MATHJAX)
	$(BIN)/python benchmarks/grading_speed.py
	$(BIN)/python benchmarks/mutant_kill_rate.py
	$(BIN)/python benchmarks/site_build.py
	$(BIN)/python benchmarks/page_weight.py

clean:
	rm -rf site .cache .pytest_cache
