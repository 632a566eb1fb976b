# `make run` serves the app on http://127.0.0.1:5000 with SQLite; `make test` runs the suite
# on SQLite, and again on PostgreSQL when TEST_DATABASE_URL names a server; `make lint` checks
# the code with ruff.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The app is in production mode unless told otherwise; these targets are for your own machine.
FLASK := COWORKING_ENV=development $(BIN)/flask --app wsgi

.PHONY: run test lint install translations messages migrate bench clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@# axe-core, which the browser tests run in every page; without npm those checks are skipped.
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi
	touch $@

translations: $(INSTALLED)
	@if [ -d coworking/translations ]; then $(BIN)/pybabel -q compile -d coworking/translations; fi

# After adding or changing user-visible strings: refresh the German catalogue, then translate
# the new entries (tests/test_i18n.py fails while any is missing). Entries are sorted and carry
# no source locations, so two branches that each add strings rarely touch the same lines.
messages: $(INSTALLED)
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--ignore-dirs='.* .venv node_modules' -o build/messages.pot .
	$(BIN)/pybabel -q update -N -w 100 --ignore-obsolete -i build/messages.pot -d coworking/translations

migrate: install translations
	$(FLASK) db upgrade

# The periodic jobs (expire holds, no-shows, the outbox) run beside the server and stop with it.
run: migrate
	$(FLASK) seed-demo --if-empty
	$(FLASK) jobs work & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Pyflakes' checks and the import order (ruff, pinned in the test extra); `ruff check --fix .`
# sorts the imports.
lint: install
	$(BIN)/ruff check .

# The suite runs on every core (pytest-xdist): each worker migrates its own template
# database, so the workers share nothing but the servers; the browser tests run beside the
# others, each worker serving its own app to its own Chromium. An idle worker takes tests
# queued for a busy one (worksteal), so a few long tests at the end do not leave a core idle.
# TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

test: install translations
	@echo "== test suite on SQLite"
	env -u TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(PYTEST); \
	else \
		echo "SKIPPED: the PostgreSQL run (set TEST_DATABASE_URL=postgresql+psycopg://user@host:5432/postgres to run it)"; \
	fi

bench: install translations
	$(BIN)/python bench/availability.py
	$(BIN)/python bench/booking.py
	$(BIN)/python bench/calendar_feeds.py
	$(BIN)/python bench/invoices.py

clean:
	rm -rf $(VENV) instance .pytest_cache
