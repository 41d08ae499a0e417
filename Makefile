# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install

$(BIN)/.installed: requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(BIN)/.installed

run: install  ## the exchange on SQLite with reference and demo data, at http://127.0.0.1:8000
	bash scripts/run.sh

test: install  ## lint, migration and deploy checks, the whole suite on SQLite and on PostgreSQL
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
