# Two commands on a fresh machine: `make run` and `make test` (README quick start).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test bench install clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(STAMP)

# a CJK font for the tests that render pages not in the corpus (Debian package; CI runs as root)
CJKFONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
$(CJKFONT):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei

# the browser for the console's end-to-end test (Debian package; never `playwright install`, which downloads)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/baomi serve

test: $(TSTAMP) $(CJKFONT) $(CHROMIUM)
	$(PY) -m pytest

bench: $(TSTAMP)
	$(VENV)/bin/baomi bench
	$(VENV)/bin/baomi bench --engine
	$(VENV)/bin/baomi bench --redact
	$(VENV)/bin/baomi bench --ocr
	$(VENV)/bin/baomi bench --extract
	$(VENV)/bin/baomi bench --store

clean:
	rm -rf $(VENV) var .pytest_cache
