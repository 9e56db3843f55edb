#!/usr/bin/env bash
# Supply-chain gate for CI: production dependencies with a high or critical advisory fail the run (see
# scripts/audit.ts). Run after `make deps`, with Node 24 on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec node --import tsx scripts/audit.ts
