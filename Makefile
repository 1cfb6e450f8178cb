# iamfence — every target creates or reuses .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
ORACLE := .cache/oracle

.PHONY: venv demo test lint bench oracle fmt clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

# The differential-test oracle (never vendored, never shipped): installed into a cache folder when
# node/npm are present; tests that need it skip with a clear message otherwise.
oracle:
	@if command -v npm >/dev/null 2>&1; then \
	  test -d $(ORACLE)/node_modules/@cloud-copilot/iam-simulate || \
	  (mkdir -p $(ORACLE) && npm install --silent --no-audit --no-fund --prefix $(ORACLE) @cloud-copilot/iam-simulate >/dev/null 2>&1) || \
	  echo "note: could not install @cloud-copilot/iam-simulate; oracle tests will skip"; \
	else echo "note: npm not found; oracle tests will skip"; fi

demo: $(STAMP)
	@$(BIN)/python scripts/demo.py

test: $(STAMP) oracle
	@$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	@$(BIN)/ruff format --check src tests benchmarks scripts
	@$(BIN)/ruff check src tests benchmarks scripts
	@$(BIN)/mypy
	@$(BIN)/lint-imports

fmt: $(STAMP)
	@$(BIN)/ruff format src tests benchmarks scripts
	@$(BIN)/ruff check --fix src tests benchmarks scripts

bench: $(STAMP) oracle
	@$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .cache demo-out .pytest_cache .mypy_cache .ruff_cache
