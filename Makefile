# Two commands matter: `make run` and `make test`. Each bootstraps .venv from nothing with exactly
# the versions in uv.lock (what CI tested); uv itself comes from PyPI at a pinned version.
# The newest python3.N (N >= 11) on PATH, else python3 if it is 3.11 or newer. A name that exists
# but does not run (a pyenv shim for a version not selected) is skipped; the real executable is
# kept, so uv sees the same interpreter each time and keeps .venv.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in $$(seq 20 -1 11 | sed 's/^/python3./') python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11) or print(sys.executable))' 2>/dev/null && break; \
	done)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9
TOOLS := .uv
UV := $(TOOLS)/bin/uv
UV_STAMP := $(TOOLS)/.uv-$(UV_VERSION)

export LEYE_HOST ?= 127.0.0.1
export LEYE_PORT ?= 8000
# uv uses the interpreter chosen above and never downloads one.
export UV_PYTHON_DOWNLOADS := never
# Python caches bytecode on first import even where PYTHONDONTWRITEBYTECODE is set: otherwise each
# process `make run` starts (migrate, load, serve, its worker) compiles its ~1,100 modules again.
# Compiling all 5,400 files at install instead, as pip does, took 60-90 s here.
export PYTHONDONTWRITEBYTECODE :=
# The demo runs on public demo keys for residents' data; a deployment sets LEYE_DATA_KEYS instead.
export LEYE_DEMO ?= 1

.PHONY: run test lint lock bench venv db fixtures clean vendor

$(UV_STAMP):
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 or newer is needed (no python3.N >= 3.11 on PATH)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: $(PYTHON) is older than Python 3.11" >&2; exit 1; }
	rm -rf $(TOOLS)
	@# The interpreter's own pip if it has one (a venv with pip in it costs ~10 s more), else a venv.
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(TOOLS) uv==$(UV_VERSION) \
	  || { rm -rf $(TOOLS) && $(PYTHON) -m venv $(TOOLS) \
	       && $(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	touch $(UV_STAMP)

$(STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(UV) sync --locked --extra dev --python $(PYTHON) \
	  || { echo "make: if uv.lock is out of date with pyproject.toml, run make lock" >&2; exit 1; }
	touch $(STAMP)

venv: $(STAMP)

# After editing the dependencies in pyproject.toml: resolve them again, keeping the other pins.
lock: $(UV_STAMP)
	$(UV) lock --python $(PYTHON)

db: $(STAMP)
	$(BIN)/leye-yiyang db upgrade

fixtures: db
	$(BIN)/leye-yiyang fixtures load

run: fixtures
	$(BIN)/leye-yiyang serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench geo fixtures
	$(BIN)/ruff format --check src tests bench geo fixtures
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo
	$(BIN)/leye-yiyang geo check geo

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# Refresh the vendored browser files (Leaflet, Swagger UI, Redoc; axe-core for tests) from npm.
vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
