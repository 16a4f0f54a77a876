# Two commands on a fresh Debian/Ubuntu machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: run test lint api-schema bench venv system-run system-test messages fonts vendor clean-data

run: system-run venv messages fonts
	$(PY) -m saas.launcher

test: system-test venv messages fonts
	$(PY) -m saas.embedded_db exec -- $(PY) -m pytest $(PYTEST_ARGS)

# Lint: ruff, then the import contracts in pyproject.toml (docs/decisions/0010).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# The API's OpenAPI schema, committed at docs/api/openapi.yaml (a test fails when it is stale).
api-schema: venv
	$(PY) manage.py spectacular --validate --fail-on-warn --file docs/api/openapi.yaml

bench: venv system-run fonts
	$(PY) -m saas.embedded_db exec -- $(PY) bench/provision.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/member_import.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/points.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/indices.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/training.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/quiz.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/billing.py
	$(PY) bench/pdf_renderer.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/pdf.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/migrate.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/load.py
	$(PY) -m saas.embedded_db exec -- $(PY) bench/move.py

venv: $(STAMP)
$(STAMP): requirements.txt
	@# A half-made .venv (python3-venv was missing) is made again.
	$(PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

system-run:
	@bash scripts/system-packages.sh run
system-test:
	@bash scripts/system-packages.sh test

# Translations are compiled from locale/*.po (msgfmt comes from gettext, installed above).
messages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore=.venv

# The subset fonts every PDF is set in, built once from the system Noto CJK under
# .data/fonts (core/pdf/fonts.py; about a minute the first time, nothing after).
fonts: venv system-run
	@$(PY) -m core.pdf

# Refresh vendored front-end files from the npm registry (pinned in package.json).
vendor:
	bash scripts/vendor-assets.sh

clean-data:
	$(PY) -m saas.embedded_db stop; rm -rf .data
