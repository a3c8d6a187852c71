# The two commands a newcomer needs:  make serve   and   make test
VENV  ?= .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# The suite runs in parallel, one pytest-xdist worker per core; each test file stays on one
# worker (its module fixtures, a server or a browser, are set up once), and files are handed
# out in collection order, where tests/conftest.py puts those with slow tests first (xdist's
# own order, the most tests first, left them for the end). PYTEST_WORKERS=0 runs it in one
# process.
PYTEST_WORKERS ?= auto
# Python keeps the modules it compiles in __pycache__/ (gitignored). Where the environment
# turns that off (PYTHONDONTWRITEBYTECODE=1), each of the suite's few hundred processes (test
# workers, CLI runs, servers, indexers) compiled the package and the tests again, every time.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: serve test install bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/searcharchive serve $(ARGS)

test: $(STAMP)
	scripts/ensure-browser
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m bench --size $(or $(SIZE),20000)

clean:
	rm -rf $(VENV) index node_modules tests/artifacts
