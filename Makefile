# Two commands for a fresh machine with only python3: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CODE := $(wildcard src tests benchmarks)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: demo test system-packages lint types pytest clean lock

demo: $(STAMP)
	$(BIN)/koers demo

test: system-packages $(STAMP) lint types pytest

# Debian's chromium and postgresql for the browser and database tests; the script installs only
# what is missing and, without root or apt-get, says so and changes nothing.
system-packages:
	scripts/system-packages.sh

# Front-end test tools (axe-core) from npm, pinned in package-lock.json; without npm the
# accessibility test skips (and fails under KOERS_REQUIRE_BROWSER=1).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the accessibility test will skip"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

types: $(STAMP)
	$(BIN)/mypy

# The kernel tests run once more as plain Python, so that coverage and tracebacks see the
# lines numba compiles.
pytest: $(STAMP) node_modules/.package-lock.json
	$(BIN)/pytest -q
	NUMBA_DISABLE_JIT=1 $(BIN)/pytest -q -p no:cacheprovider tests/methods/cib

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -c 'import koers.methods.cib as cib; cib.compile_kernels()'
	rm -f $(VENV)/.installed-*
	touch $@

# Refresh constraints.txt from a clean environment after changing dependencies.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache node_modules artefacts
