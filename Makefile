# Dhakira: make demo serves a demo archive, make test runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO := var/demo

.PHONY: install demo test test-sqlite test-postgresql lint bench clean ocr

$(BIN)/dhakira: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(BIN)/dhakira

install: $(BIN)/dhakira  ## build .venv with the dhakira command

demo: install  ## build the demo archive under var/demo and serve it
	$(BIN)/dhakira --archive $(DEMO) demo --host $(HOST) --port $(PORT)

test: install  ## run every test: SQLite always, PostgreSQL when DHAKIRA_TEST_DATABASE_URL is set
	$(BIN)/python -m pytest -q
	@if [ -n "$$DHAKIRA_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$DHAKIRA_TEST_DATABASE_URL"; \
		DHAKIRA_DATABASE_URL="$$DHAKIRA_TEST_DATABASE_URL" $(BIN)/python -m pytest -q -m database; \
	fi

lint: install
	$(BIN)/ruff check dhakira dhakira_web tests bench
	$(BIN)/mypy

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
OCR_PACKAGES := tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng poppler-utils

ocr: install  ## optional: OCR for scanned images and PDFs (tesseract with Arabic and English, pdftoppm)
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(OCR_PACKAGES)
	$(BIN)/python -m dhakira.ingest.ocr

bench: install  ## the default benchmark set, one table (modest sizes; see docs/scale.md for larger ones)
	nice $(BIN)/python bench/all.py


clean:
	rm -rf $(VENV) var/demo
