#!/usr/bin/env bash
# Daily database backup, for cron or a systemd timer (docs/runbooks/backup-restore.md):
#
#   0 2 * * * /bin/bash /srv/car-dano/scripts/db-backup.sh >> /var/log/db-backup.log 2>&1
#
# Runs `npm run cli -- backup` (arguments pass through: --db-only, the default, or --all) from the project
# directory. Settings: the environment first, then the project's .env (only variables the environment does
# not set), then the defaults: BACKUP_DIR=./backups under the project, RETENTION_DAYS=10. The database is
# DATABASE_URL, or the embedded PostgreSQL of DATA_DIR. Every line is stamped (UTC) for the log file.
# Exit codes: those of the backup command (0 done, 2 dump failed, 3 offsite copy failed, 69 no client tools
# of the server's version, 73 BACKUP_DIR refused, 78 configuration).
set -uo pipefail
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$project" || exit 73

if [ -f .env ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[2]}"
    value="${BASH_REMATCH[3]}"
    if [[ "$value" =~ ^\"(.*)\"$ ]] || [[ "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
    # The environment wins over .env (the seed's order: environment, .env, default).
    [ -z "${!key+set}" ] && export "$key=$value"
  done < .env
fi
export BACKUP_DIR="${BACKUP_DIR:-$project/backups}"
export RETENTION_DAYS="${RETENTION_DAYS:-10}"

stamp() { while IFS= read -r l; do printf '[%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$l"; done; }
echo "backup of $(hostname) starting: BACKUP_DIR=$BACKUP_DIR RETENTION_DAYS=$RETENTION_DAYS" | stamp
bash scripts/with-node.sh node_modules/.bin/tsx src/main/cli.ts backup "$@" 2>&1 | stamp
code=${PIPESTATUS[0]}
echo "backup exit code $code" | stamp
exit "$code"
