# CAR-dano backend. `make run` and `make test` do all the set-up they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
STAMP := node_modules/.install-stamp
TSX := node --import tsx

# Node.js 24 LTS (.nvmrc): the system's node when it is >= 24, else the project's own copy fetched from the
# npm registry into .tools/ (scripts/ensure-node.sh). Every recipe below runs with it first on PATH, and
# native addons build against its headers.
ifneq ($(filter-out help clean,$(or $(MAKECMDGOALS),help)),)
NODE_BIN := $(shell bash scripts/ensure-node.sh)
ifeq ($(NODE_BIN),)
$(error Node.js 24 is required and could not be set up (see the line above))
endif
export PATH := $(NODE_BIN):$(PATH)
ifneq ($(wildcard $(NODE_BIN)/../include/node/node.h),)
export npm_config_nodedir := $(abspath $(NODE_BIN)/..)
endif
endif

.PHONY: help deps system-deps check-node run worker observe test test-unit test-db drill lint format build bench migrate cli clean

help:
	@echo "make run      install dependencies, migrate, start the API on embedded defaults (foreground)"
	@echo "make test     the whole test suite (DATABASE_URL if set, else embedded PostgreSQL); drills at small size"
	@echo "make observe  a real Prometheus and Alertmanager on 127.0.0.1 scraping make run's API and worker (Ctrl-C stops)"
	@echo "make drill    the resilience drills (test/drills) at full size: bulk approve, outages, killed workers"
	@echo "make lint     tsc --noEmit, eslint, dependency-cruiser layer rules, OpenAPI lint, documentation gate, Prettier check"
	@echo "make format   format the code with Prettier"
	@echo "make build    compile to dist/"
	@echo "make migrate  apply pending migrations"
	@echo "make bench    benchmarks (bench/)"

check-node:
	@node -e 'const want=+process.argv[1];if(+process.versions.node.split(".")[0]<want){console.error("Node.js >= "+want+" is required, found "+process.version);process.exit(1)}' 24

$(STAMP): package.json package-lock.json .nvmrc
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: check-node $(STAMP) system-deps

# Chromium, Ghostscript, poppler-utils and qpdf for report rendering (apt as root; otherwise instructions).
system-deps:
	@bash scripts/ensure-system-deps.sh

# Foreground until SIGTERM/Ctrl-C; honours PORT and HOST (and every variable in .env.example).
run: deps
	@set -a; [ -f .env ] && . ./.env; set +a; export APP_ENV="$${APP_ENV:-local}"; exec $(TSX) --import ./src/main/otel-preload.ts src/main/server.ts

# Resilience drills: DRILL_SIZE unset (small) in `make test`, the issues' sizes in `make drill`.
DRILLS := 'test/drills/**/*.drill.ts'
TIERS := 'test/unit/**/*.spec.ts' 'test/contract/**/*.spec.ts' 'test/integration/**/*.spec.ts' 'test/ops/**/*.spec.ts' 'test/api/**/*.spec.ts' 'test/e2e/**/*.spec.ts' $(DRILLS)

# A report worker without the API (with DATABASE_URL and REPORT_BASE_URL of a running API).
worker: deps
	@set -a; [ -f .env ] && . ./.env; set +a; export APP_ENV="$${APP_ENV:-local}"; exec $(TSX) --import ./src/main/otel-preload.ts src/main/worker-main.ts

# Prometheus (127.0.0.1:9090) and Alertmanager (127.0.0.1:9093) with the committed rules and routing tree,
# scraping `make run` (PORT, default 3000) and, with WORKER_ENABLED=false, `make worker` (WORKER_METRICS_PORT, 9465).
observe: deps
	@set -a; [ -f .env ] && . ./.env; set +a; exec $(TSX) scripts/observe/observe.ts

test: deps
	@echo "node $$(node --version) ($$(command -v node))"
	npx mocha $(TIERS)

drill: deps
	@echo "node $$(node --version) ($$(command -v node))"
	DRILL_SIZE=full npx mocha $(DRILLS)

test-unit: deps
	npx mocha 'test/unit/**/*.spec.ts'

# The database tiers only, e.g. `make test-db DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`.
# Tests tagged @cli-process check a CLI's process plumbing (exit codes, output), not the database: they run
# once, in `make test`.
test-db: deps
	@echo "node $$(node --version) ($$(command -v node))"
	npx mocha --grep @cli-process --invert 'test/contract/**/*.spec.ts' 'test/integration/**/*.spec.ts' 'test/api/**/*.spec.ts'

lint: deps
	npx tsc --noEmit
	npx eslint . --max-warnings=0
	npx depcruise src migrations --config .dependency-cruiser.cjs
	npx redocly lint openapi.yaml --format=stylish
	npx tsx scripts/doc-gate.ts
	npx prettier --check $(FORMATTED)
	bash scripts/check-ops.sh
	npx tsx scripts/dashboards/build.ts --check

# Prettier (.prettierrc.json, width 120) formats the code; `make lint` checks it.
FORMATTED := 'src/**/*.ts' 'test/**/*.ts' 'scripts/**/*.ts' 'bench/**/*.ts' 'migrations/**/*.ts' eslint.config.js 'ops/grafana/**/*.json'
format: deps
	npx prettier --write $(FORMATTED)

build: deps
	npx tsc -p tsconfig.build.json

bench: deps
	@APP_ENV=local $(TSX) bench/run.ts

migrate: deps
	@set -a; [ -f .env ] && . ./.env; set +a; export APP_ENV="$${APP_ENV:-local}"; $(TSX) src/main/cli.ts migrate

cli: deps
	@set -a; [ -f .env ] && . ./.env; set +a; export APP_ENV="$${APP_ENV:-local}"; $(TSX) src/main/cli.ts $(ARGS)

clean:
	rm -rf dist .test-data
