#!/usr/bin/env bash
# Installs what report rendering needs when it is missing: Chromium (headless shell preferred), Ghostscript
# (PDF size control) and poppler-utils (pdfimages/pdftotext for content checks); and what the operations
# checks need: Prometheus (promtool) and Alertmanager (amtool), for `make lint`, the alerting test and
# `make observe`; and what backups need: postgresql-client-15 (pg_dump of the server's major version), age
# and gnupg. On Debian as root it uses apt; elsewhere it prints exactly what to install and carries on
# (the tests that need a missing tool then say so in one line and skip).
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ] || need+=(chromium)
[ -x /usr/lib/chromium/chromium-headless-shell ] || need+=(chromium-headless-shell)
command -v gs >/dev/null 2>&1 || need+=(ghostscript)
command -v pdfimages >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
# Backups: pg_dump of the embedded/CI server's major version (15), and age/gpg for encrypted backups.
[ -x /usr/lib/postgresql/15/bin/pg_dump ] || need+=(postgresql-client-15)
command -v age >/dev/null 2>&1 || need+=(age)
command -v gpg >/dev/null 2>&1 || need+=(gnupg)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null && exit 0
  echo "apt-get could not install ${need[*]}" >&2
  exit 1
fi
echo "Report rendering and the operations checks need: ${need[*]}." >&2
echo "  Debian/Ubuntu: sudo apt-get install ${need[*]}" >&2
echo "  macOS: brew install --cask chromium; brew install ghostscript poppler qpdf prometheus alertmanager postgresql@15 age gnupg (then set CHROMIUM_PATH)" >&2
exit 0
