# Funnelboard — `make run` serves the app in embedded mode; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install assets migrate demo lint typecheck check bench clean system-deps messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) assets

# Front-end packages from the npm registry (package.json + lockfile), never committed.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

assets: node_modules/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

typecheck: install
	$(VENV)/bin/mypy .

check: lint typecheck
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-only-$$(date +%s)-a-long-random-enough-secret-value \
		FUNNELBOARD_TOKEN_KEY=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
		DJANGO_ALLOWED_HOSTS=funnelboard.example $(PY) manage.py check --deploy --fail-level WARNING

# Speed and memory targets (writes BENCHMARKS.md). Needs the local PostgreSQL and Redis;
# installs Debian's wrk when it is missing.
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) -m bench

# The Persian catalogue: collect every translatable string into locale/fa/LC_MESSAGES/django.po
# (new ones arrive untranslated, and a test fails until they are translated), then compile it.
# Needs GNU gettext (Debian: gettext).
messages: install
	$(PY) manage.py makemessages -l fa --no-location --no-obsolete $(MESSAGE_IGNORES)
	$(PY) manage.py compilemessages -l fa --ignore=.venv --ignore=node_modules

MESSAGE_IGNORES := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests \
	--ignore=bench --ignore=docs

# Debian packages the PDFs need (WeasyPrint's Pango, a font) and the PDF tests' poppler.
system-deps:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
