# The two commands a newcomer needs: `make demo` runs the connector end to end on the simulator,
# `make test` runs every test. Both install what they need into .venv first; `make benchmark`
# installs the connector alone into .venv-bench.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The benchmark measures the connector as its image installs it: its own dependencies only.
# (The tests' PyAirbyte brings boto3, which the CDK's requests-cache then imports at start-up.)
BENCH := .venv-bench/bin

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

$(BENCH)/.installed: setup.py
	$(PYTHON) -m venv .venv-bench
	$(BENCH)/pip install --quiet --upgrade pip
	$(BENCH)/pip install --quiet -e .
	touch $@

benchmark: $(BENCH)/.installed
	$(BENCH)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .venv-bench .demo
