# The two commands a newcomer needs: `make demo` runs the connector end to end on the simulator,
# `make test` runs every test. Both install what they need into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test benchmark clean

$(BIN)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[tests]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/python -m demo

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q -p no:cacheprovider

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .demo
