# Hälsolots webb. `make html` builds the site (installing what it needs on first use); `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN := PYTHONPATH=plugins $(PY)
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help html publish publish-all deploy rollback serve devserver editor check test test-fast deps browser-deps clean translations ny-aktivitet ny-halsosida ny-film ny-nyhet ny-sida ny guide bench print uppfoljning

# Messages about content are in Swedish; `make check LANG=en` gives them in English. Only a LANG given on
# the command line counts (the shell's LANG, e.g. sv_SE.UTF-8, is the terminal's locale, not a choice).
MSG_LANG := $(if $(filter command line,$(origin LANG)),--lang $(LANG))
# SITE=sodra-alvsborg works on another site of the repository (sites/<name>/, docs/sites.md) with any command
# below; without it, the default site (pelicanconf.py, content/). make publish-all builds every site.
SITE_ARG := $(if $(SITE),--site $(SITE))

help:
	@echo "make html       build the site into output/ (first run installs Python packages into .venv)"
	@echo "make serve      build, then preview at http://127.0.0.1:$(PORT)/"
	@echo "make devserver  preview that rebuilds when you save a file"
	@echo "make check      check all content without building (LANG=en for English messages)"
	@echo "make editor     preview with the form editor at http://127.0.0.1:$(PORT)/admin/ (writes this copy's files)"
	@echo "make ny-aktivitet  write a new activity file, asking for its facts"
	@echo "make ny-halsosida / ny-film / ny-nyhet / ny-sida  the same for a health page, a film, a news item, a page"
	@echo "make guide      regenerate the field reference in docs/guide-for-kommunikatorer.md"
	@echo "make publish    production build (absolute URLs, no drafts)"
	@echo "make publish-all  production build of every site, each into public/<site>/"
	@echo "                any command with SITE=sodra-alvsborg: that site instead of Gothenburg's (sites/)"
	@echo "make print FROM=2027-01-01 TO=2027-05-31  production build with the printed programmes for that period (PDF)"
	@echo "make deploy TARGET=/srv/halsolots  copy output/ to TARGET/releases/<time>-<commit>/, switch TARGET/current (or user@host:path)"
	@echo "make rollback TARGET=/srv/halsolots  switch TARGET/current back to the release before it"
	@echo "make test       run every test (installs Chromium, Java, nginx, rsync and Node packages if missing)"
	@echo "make test-fast  the quick tests only (no browser, no Node checkers, no nginx)"
	@echo "make uppfoljning YEAR=2027 LOGS=\"/var/log/nginx/halsolots.access.log*\"  the yearly follow-up into uppfoljning/2027/"
	@echo "make bench      build-speed benchmark: 1,000 and 5,000 activities vs plain Pelican (BENCH_ARGS=--large adds 10,000;"
	@echo "                BENCH_ARGS=\"--work /dev/shm\" builds the sites in memory, without the disk)"
	@echo "make clean      remove the output and the build caches"

$(VENV)/.installed: requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

deps: $(VENV)/.installed

html: deps
	$(RUN) -m halsolots build $(SITE_ARG)

publish: deps
	$(RUN) -m halsolots build --settings publishconf.py $(SITE_ARG)

publish-all: deps
	$(RUN) -m halsolots publish-all --into public

# The production build with printed programmes for FROM–TO (YYYY-MM-DD) instead of the coming season.
print: deps
	$(RUN) -m halsolots build --settings publishconf.py $(SITE_ARG) $(if $(FROM),--print-from $(FROM)) $(if $(TO),--print-to $(TO))

# Atomic deploys (docs/production.md): TARGET is a folder or user@host:folder (rsync; ssh for the other steps);
# KEEP releases stay; RELOAD="systemctl reload nginx" runs on the host after the switch.
KEEP ?= 5
deploy: deps
	$(RUN) -m halsolots deploy --target "$(TARGET)" --keep $(KEEP) $(if $(RELOAD),--reload "$(RELOAD)")

rollback: deps
	$(RUN) -m halsolots rollback --target "$(TARGET)" $(if $(RELOAD),--reload "$(RELOAD)")

serve: html
	$(RUN) -m halsolots serve --port $(PORT)

devserver: deps
	$(RUN) -m halsolots devserver --port $(PORT) $(SITE_ARG) $(MSG_LANG)

check: deps
	$(RUN) -m halsolots check $(SITE_ARG) $(MSG_LANG)

# The preview with the form editor at /admin/ (Decap CMS) and decap-server on 127.0.0.1:$(CMS_PORT) writing this
# working copy's files (docs/editor.md). Never part of make publish.
CMS_PORT ?= 8081
editor: deps node_modules/.installed
	$(RUN) -m halsolots editor --port $(PORT) --cms-port $(CMS_PORT) $(SITE_ARG) $(MSG_LANG)

ny-aktivitet: deps
	$(RUN) -m halsolots new-activity $(SITE_ARG) $(MSG_LANG)

# The same for the other kinds (fields and questions from content/schema.py); `make ny KIND=film` for any kind.
ny-halsosida ny-film ny-nyhet ny-sida: deps
	$(RUN) -m halsolots new $(patsubst ny-%,%,$@) $(SITE_ARG) $(MSG_LANG)

ny: deps
	$(RUN) -m halsolots new $(KIND) $(SITE_ARG) $(MSG_LANG)

guide: deps
	$(RUN) -m halsolots guide

# Chromium, a Java runtime, nginx (with its Brotli static module), rsync and libical (GNOME Evolution's calendar
# engine, for the feed tests) come from Debian's packages, the checkers from the npm registry.
browser-deps: node_modules/.installed
	@{ command -v chromium && [ -x /usr/sbin/nginx ] && [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] \
	  && command -v rsync && dpkg -s gir1.2-ical-3.0 python3-gi 2>&1; } >/dev/null || { echo "Installing Chromium, Java, nginx, rsync and libical from Debian's packages"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium default-jre-headless \
	  nginx libnginx-mod-http-brotli-static rsync gir1.2-ical-3.0 python3-gi >/dev/null; }
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; }
	@{ command -v pdftotext && command -v zbarimg; } >/dev/null || { echo "Installing poppler-utils and zbar-tools (PDF tests) from Debian's packages"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils zbar-tools >/dev/null; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

test: deps browser-deps
	$(RUN) -m pytest

test-fast: deps
	$(RUN) -m pytest -m "not browser and not checkers and not server and not print"

# The yearly follow-up (docs/guide-for-kommunikatorer.md, "Uppföljning"): participants from content/deltagare and,
# with LOGS (globs of access logs, plain or .gz), visits, searches and calendar subscriptions; into uppfoljning/YEAR/.
uppfoljning: deps
	@test -n "$(YEAR)" || { echo "Skriv året: make uppfoljning YEAR=2027 LOGS=\"/var/log/nginx/halsolots.access.log*\""; exit 2; }
	$(RUN) -m halsolots uppfoljning --year $(YEAR) $(SITE_ARG) $(if $(LOGS),--logs $(foreach pattern,$(LOGS),'$(pattern)')) $(MSG_LANG)

# Figures go to the terminal and into BENCHMARKS.md; BENCH_ARGS="--large" adds 10,000 activities.
bench: deps
	$(RUN) -m halsolots.commands.bench --write $(BENCH_ARGS)

clean:
	rm -rf output output.* public cache .pytest_cache

# Interface text: extract every string from templates and plugins, then merge into each language's catalogue,
# writing only the files whose text changes (no new dates, sorted by msgid: commands/translations.py).
# Interface text only: N_() marks content-problem messages, which live in the plugin's own catalogue.
translations: deps
	$(RUN) -m halsolots translations
