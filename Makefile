# CAR-dano backend. `make run` and `make test` do all the set-up they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_MIN := 20.19.0
STAMP := node_modules/.install-stamp
TSX := node --import tsx

.PHONY: help deps system-deps check-node run worker test test-unit test-db drill lint build bench migrate cli clean

help:
	@echo "make run      install dependencies, migrate, start the API on embedded defaults (foreground)"
	@echo "make test     the whole test suite (DATABASE_URL if set, else embedded PostgreSQL); drills at small size"
	@echo "make drill    the resilience drills (test/drills) at full size: bulk approve, outages, killed workers"
	@echo "make lint     tsc --noEmit, eslint, dependency-cruiser layer rules, OpenAPI lint"
	@echo "make build    compile to dist/"
	@echo "make migrate  apply pending migrations"
	@echo "make bench    benchmarks (bench/)"

check-node:
	@command -v node >/dev/null || { echo "Node.js >= $(NODE_MIN) is required (https://nodejs.org or: apt-get install nodejs npm)"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number);const [x,y]=process.argv[1].split(".").map(Number);if(a<x||(a===x&&b<y)){console.error("Node.js >= "+process.argv[1]+" is required, found "+process.versions.node);process.exit(1)}' $(NODE_MIN)

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: check-node $(STAMP) system-deps

# Chromium, Ghostscript, poppler-utils and qpdf for report rendering (apt as root; otherwise instructions).
system-deps:
	@bash scripts/ensure-system-deps.sh

# Foreground until SIGTERM/Ctrl-C; honours PORT and HOST (and every variable in .env.example).
run: deps
	@set -a; [ -f .env ] && . ./.env; set +a; exec $(TSX) src/main/server.ts

# Resilience drills: DRILL_SIZE unset (small) in `make test`, the issues' sizes in `make drill`.
DRILLS := 'test/drills/**/*.drill.ts'
TIERS := 'test/unit/**/*.spec.ts' 'test/contract/**/*.spec.ts' 'test/integration/**/*.spec.ts' 'test/api/**/*.spec.ts' 'test/e2e/**/*.spec.ts' $(DRILLS)

# A report worker without the API (with DATABASE_URL and REPORT_BASE_URL of a running API).
worker: deps
	@set -a; [ -f .env ] && . ./.env; set +a; exec $(TSX) src/main/worker-main.ts

test: deps
	npx mocha $(TIERS)

drill: deps
	DRILL_SIZE=full npx mocha $(DRILLS)

test-unit: deps
	npx mocha 'test/unit/**/*.spec.ts'

# The database tiers only, e.g. `make test-db DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`.
test-db: deps
	npx mocha 'test/contract/**/*.spec.ts' 'test/integration/**/*.spec.ts' 'test/api/**/*.spec.ts'

lint: deps
	npx tsc --noEmit
	npx eslint . --max-warnings=0
	npx depcruise src migrations --config .dependency-cruiser.cjs
	npx redocly lint openapi.yaml --format=stylish

build: deps
	npx tsc -p tsconfig.build.json

bench: deps
	@$(TSX) bench/run.ts

migrate: deps
	@$(TSX) src/main/cli.ts migrate

cli: deps
	@$(TSX) src/main/cli.ts $(ARGS)

clean:
	rm -rf dist .test-data
