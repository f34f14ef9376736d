# One command runs every check: `make check` (format, lint, types, tests). CI runs the same.
PYTHON ?= python

.PHONY: check format lint types test site serve demo-data

check: lint types test

format:
	$(PYTHON) -m ruff format generator tests tools

lint:
	$(PYTHON) -m ruff format --check generator tests tools
	$(PYTHON) -m ruff check generator tests tools

types:
	$(PYTHON) -m mypy

test:
	$(PYTHON) -m pytest

site:
	$(PYTHON) -m generator build

serve:
	$(PYTHON) -m generator serve

demo-data:
	$(PYTHON) tools/make_demo_data.py
