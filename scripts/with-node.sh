#!/usr/bin/env bash
# Runs a command with the project's Node.js 24 first on PATH (scripts/ensure-node.sh), so `npm run cli`,
# `npm start` and `npm run worker` use Node 24 even where the system's node is older.
set -euo pipefail
bin="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh")"
export PATH="$bin:$PATH"
exec "$@"
