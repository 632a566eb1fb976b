# `make run` serves the app on http://127.0.0.1:5000 with SQLite; `make test` runs the suite
# on SQLite, and again on PostgreSQL when TEST_DATABASE_URL names a server.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install translations migrate bench clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

translations: $(INSTALLED)
	@if [ -d coworking/translations ]; then $(BIN)/pybabel compile -q -d coworking/translations; fi

migrate: install translations
	$(FLASK) db upgrade

run: migrate
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install translations
	@echo "== test suite on SQLite"
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/python -m pytest; \
	else \
		echo "SKIPPED: the PostgreSQL run (set TEST_DATABASE_URL=postgresql+psycopg://user@host:5432/postgres to run it)"; \
	fi

bench: install translations
	$(BIN)/python bench/availability.py
	$(BIN)/python bench/booking.py

clean:
	rm -rf $(VENV) instance .pytest_cache
