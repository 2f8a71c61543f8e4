# Newsroom: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/newsroom
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench

.PHONY: bench-scale worker soak bench-liveblog bench-newsday bench-peers bench-gunicorn observatory screenshots serve release install install-prod run test test-sqlite test-postgres lint format lock demo migrate shell clean bench bench-postgres

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Newsroom needs $(PYTHON) (Debian: apt-get install python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Debian needs the venv module: apt-get install python3-venv"; exit 1; }

# Two hashed locks, both made by `make lock`: requirements.lock holds production's
# packages only ([project] dependencies), requirements-dev.lock the same pins plus the dev
# and test groups. Production targets install the first, development targets the second;
# each has its own stamp, so a venv made by `make release` gets the dev packages the first
# time `make test` runs in it.
$(VENV)/.installed-prod: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install-prod: $(VENV)/.installed-prod

install: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn with the production settings (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
# REDIS_URL, SITE_URL... from the environment; see the README).
serve: release
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/gunicorn -c gunicorn.conf.py newsroom.wsgi

# Production's task worker (mail out of readers' requests), beside gunicorn; same environment.
worker: install-prod
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/python manage.py db_worker --no-reload

# An upgrade's steps before gunicorn is reloaded: locked dependencies, migrations, static files.
# Migrations run without statement_timeout: an index on a big table may take minutes.
release: install-prod
	DATABASE_STATEMENT_TIMEOUT=0 DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/python manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/python manage.py collectstatic --no-input -v 0

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: install
	$(BIN)/python manage.py load_demo

test: lint test-sqlite test-postgres

# The modules mypy checks with django-stubs (settings in pyproject.toml): services and
# selectors. Add a module here once it is typed.
MYPY_MODULES ?= articles/services.py articles/body.py articles/blocks.py articles/embeds.py articles/pages.py articles/previews.py comments/services.py comments/moderation.py comments/links.py comments/threads.py ads/services.py ads/selection.py ads/validators.py accounts/services.py newsroom/beacons.py newsroom/dbrouters.py liveblog/services.py liveblog/pages.py editing/services.py editing/desk.py fronts/services.py fronts/pages.py fronts/previews.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/bandit -q -r newsroom articles comments ads accounts demo liveblog editing fronts
	$(BIN)/mypy $(MYPY_MODULES)

test-sqlite: install
	$(BIN)/pytest -n 2

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2

# What a public page costs (queries, time, memory, CPU per request split into SQL, ORM,
# templates and the rest), printed; see bench/pages.py and bench/breakdown.py.
bench: install
	$(BIN)/python -m bench.pages

bench-postgres: install
	$(BIN)/python -m bench.pages --database-url $(PG_BENCH_URL)

# Ten years of archive on PostgreSQL (built once into newsroom_scale and kept): every public
# page, admin list and write at 1M stories and ~10M comments, printed against issue 10's
# targets; SCALE_ARGS passes options (--rebuild, --articles N, --only REGEX), see bench/scale.py.
bench-scale: install
	$(BIN)/python -m bench.scale $(SCALE_ARGS)

# Readers and commenters against gunicorn on PostgreSQL and Redis, with PostgreSQL
# restarted and Redis stopped and frozen part-way; prints the figures (scripts/soak.py).
soak: install
	$(BIN)/python scripts/soak.py

# A news day through the shipped stack (nginx -> Varnish -> gunicorn, PostgreSQL and Redis
# of its own): readers, an approval a second, a story a minute, for 60 s; prints reads,
# Varnish's share, requests reaching Django, latency and staleness (scripts/bench_newsday.py).
# DB_OUTAGE=1 stops PostgreSQL for 10 s mid-run; NEWSDAY_ARGS passes more options.
bench-newsday: install
	$(BIN)/python scripts/bench_newsday.py $(if $(DB_OUTAGE),--db-outage) $(NEWSDAY_ARGS)

# Live coverage under load (Varnish -> gunicorn, PostgreSQL and Redis of its own): 100 and
# then 1000 readers poll a live story for 60 s while an editor posts an entry every 5 s;
# prints requests served and reaching Django, publish-to-reader times and the app's CPU
# (scripts/bench_liveblog.py; LIVEBLOG_BENCH_ARGS passes options, e.g. --readers 100,2000).
bench-liveblog: install
	$(BIN)/python scripts/bench_liveblog.py $(LIVEBLOG_BENCH_ARGS)

# The story page beside nginx (static), WordPress and Wagtail in one run of
# ../shared/bench/peers/measure.sh (set up with its setup.sh first): Newsroom from Varnish,
# from its Redis page cache and uncached (scripts/bench_peers.py); PEERS_BEFORE=<commit> adds
# the page uncached as that commit renders it.
bench-peers: install
	$(BIN)/python scripts/bench_peers.py $(if $(PEERS_BEFORE),--before $(PEERS_BEFORE))

# gunicorn's worker and thread mix for uncached story pages under wrk (apt-get install
# wrk): throughput, p50, p99, CPU per request and worker memory per mix; see
# scripts/bench_gunicorn.py (GUNICORN_MIXES=5x4,5x1,2x4 picks the mixes).
bench-gunicorn: install
	$(BIN)/python scripts/bench_gunicorn.py $(if $(GUNICORN_MIXES),--mixes $(GUNICORN_MIXES))

# Mozilla HTTP Observatory grade of the production stack (gunicorn behind deploy/nginx.conf,
# with a local certificate), scanned locally; as root, as it binds ports 80 and 443.
observatory: install
	bash scripts/observatory.sh

# The README's screenshots (docs/screenshots/), from the demo on a throwaway SQLite database,
# taken with Debian's headless Chromium (apt-get install chromium); scripts/screenshots.py.
screenshots: install
	$(BIN)/python scripts/screenshots.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Development's lock is resolved first (keeping the versions it already pins), then
# production's within it, so the two never pin a package differently.
lock: install
	$(BIN)/uv pip compile pyproject.toml --group dev --group test --generate-hashes \
		--python-version 3.11 --no-header --quiet -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml --generate-hashes -c requirements-dev.lock \
		--python-version 3.11 --no-header --quiet -o requirements.lock

shell: install
	$(BIN)/python manage.py shell

clean:
	rm -rf $(VENV) media staticfiles db.sqlite3
