# The two commands of the README. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

## run: build the knowledge graph of the bundled sample documents into out/
run: install
	$(BIN)/policy-kg build

## test: run the test suite
test: install-test
	$(BIN)/python -m pytest -q -n 2  # two worker processes (pytest-xdist): the suite's servers pick free ports

clean:
	rm -rf $(VENV) out .pytest_cache
