#!/usr/bin/env bash
# Checks the operations-as-code: Prometheus config, recording and alerting rules and their unit tests,
# the Alertmanager config and its routing cases, and the runbooks the alerts link to.
#
#   bash scripts/check-ops.sh
#
# Steps (each prints ok/FAIL; a failure prints the tool's output and the script exits 1):
#  1. promtool check config --syntax-only ops/prometheus/prometheus.yml (the file as deployed);
#  2. promtool check config on a temporary copy whose secret files (/etc/prometheus/secrets/...) point at
#     dummy files: promtool insists they exist. This also loads the rule files, relative to the config;
#  3. promtool check rules ops/prometheus/rules/*.yml;
#  4. promtool test rules ops/prometheus/tests/*.yml (the files run in parallel);
#  5. amtool check-config ops/alertmanager/alertmanager.yml (and its templates);
#  6. no inline secret in either config: credentials, webhook URLs and passwords come from *_file paths
#     under /etc/prometheus/secrets/ or /etc/alertmanager/secrets/;
#  7. every case of ops/alertmanager/route-tests.txt with amtool config routes test --verify.receivers;
#  8. every alert has runbook_url <RUNBOOK_BASE><alert-name-in-kebab-case>.md, that file exists under
#     docs/runbooks/ and is listed in docs/runbooks/README.md, and its name appears in at least two
#     alert tests (test/ops/ops-config.spec.ts checks that one fires and one stays silent).
# Without promtool or amtool it prints one SKIPPED line and exits 0 (Debian packages: prometheus,
# prometheus-alertmanager).
#
# Environment: OPS_ROOT (default: this repository) holds ops/ and docs/runbooks/; PROMTOOL, AMTOOL
# (default: from PATH); CHECK_OPS_UNIT_TESTS=0 skips step 4 (the slow one).
set -uo pipefail

ROOT="${OPS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PROMTOOL="${PROMTOOL:-promtool}"
AMTOOL="${AMTOOL:-amtool}"
PROM="$ROOT/ops/prometheus"
AM="$ROOT/ops/alertmanager"
RUNBOOKS="$ROOT/docs/runbooks"
RUNBOOK_BASE="https://github.com/car-dano/backend/blob/main/docs/runbooks/"

missing=()
command -v "$PROMTOOL" >/dev/null 2>&1 || missing+=(promtool)
command -v "$AMTOOL" >/dev/null 2>&1 || missing+=(amtool)
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-ops: SKIPPED: ${missing[*]} not found (install the Debian packages prometheus and prometheus-alertmanager)"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

ok() { checks=$((checks + 1)); echo "ok   $1"; }
fail() {
  checks=$((checks + 1))
  failures=$((failures + 1))
  echo "FAIL $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/     /'; fi
}
# run <label> <command...>: ok when the command exits 0, else FAIL with its output.
run() {
  local label="$1" out
  shift
  if out="$("$@" 2>&1)"; then ok "$label"; else fail "$label" "$out"; fi
}
kebab() { sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' <<<"$1" | tr '[:upper:]' '[:lower:]'; }

# 1-2. Prometheus config.
run "promtool check config --syntax-only ops/prometheus/prometheus.yml" \
  "$PROMTOOL" check config --syntax-only "$PROM/prometheus.yml"
mkdir -p "$tmp/prometheus" "$tmp/secrets/prometheus"
cp -R "$PROM/." "$tmp/prometheus/"
while read -r secret; do
  [ -n "$secret" ] && printf 'dummy\n' >"$tmp/secrets/prometheus/$(basename "$secret")"
done < <(grep -oE '/etc/prometheus/secrets/[A-Za-z0-9._-]+' "$PROM/prometheus.yml" | sort -u)
sed -i.bak "s#/etc/prometheus/secrets/#$tmp/secrets/prometheus/#g" "$tmp/prometheus/prometheus.yml"
run "promtool check config ops/prometheus/prometheus.yml (secret files stubbed; rule files loaded)" \
  "$PROMTOOL" check config "$tmp/prometheus/prometheus.yml"

# 3. Rules.
rule_files=("$PROM"/rules/*.yml)
run "promtool check rules ops/prometheus/rules/*.yml" "$PROMTOOL" check rules "${rule_files[@]}"

# 4. Rule unit tests, one promtool per file, in parallel.
test_files=("$PROM"/tests/*.yml)
if [ "${CHECK_OPS_UNIT_TESTS:-1}" = 0 ]; then
  echo "--   promtool test rules: skipped (CHECK_OPS_UNIT_TESTS=0)"
else
  pids=()
  for f in "${test_files[@]}"; do
    ("$PROMTOOL" test rules "$f" >"$tmp/$(basename "$f").log" 2>&1) &
    pids+=($!)
  done
  for i in "${!test_files[@]}"; do
    f="${test_files[$i]}"
    if wait "${pids[$i]}"; then
      ok "promtool test rules ops/prometheus/tests/$(basename "$f")"
    else
      fail "promtool test rules ops/prometheus/tests/$(basename "$f")" "$(cat "$tmp/$(basename "$f").log")"
    fi
  done
fi

# 5. Alertmanager config.
run "amtool check-config ops/alertmanager/alertmanager.yml" "$AMTOOL" check-config "$AM/alertmanager.yml"

# 6. Secrets only from files.
inline="$(grep -nE '^[[:space:]]*(-[[:space:]]*)?(api_url|slack_api_url|auth_password|smtp_auth_password|auth_secret|routing_key|service_key|bot_token|token|password|credentials|bearer_token|client_secret|key)[[:space:]]*:' \
  "$AM/alertmanager.yml" "$PROM/prometheus.yml" | sed "s#^$ROOT/##")"
outside="$(grep -nE '_file[[:space:]]*:' "$AM/alertmanager.yml" "$PROM/prometheus.yml" |
  grep -vE '_file[[:space:]]*:[[:space:]]*/etc/(alertmanager|prometheus)/secrets/[A-Za-z0-9._-]+[[:space:]]*$' | sed "s#^$ROOT/##")"
if [ -z "$inline$outside" ]; then
  ok "no inline secrets; every *_file under /etc/{prometheus,alertmanager}/secrets/"
else
  fail "secrets must come from files under /etc/{prometheus,alertmanager}/secrets/" "$inline$outside"
fi

# 7. Routing cases.
route_total=0
route_failed=""
while IFS= read -r line; do
  line="${line%%#*}"
  [[ "$line" == *"|"* ]] || continue
  expected="$(tr -d '[:space:]' <<<"${line%%|*}")"
  read -r -a labels <<<"${line#*|}"
  route_total=$((route_total + 1))
  if ! out="$("$AMTOOL" config routes test --config.file="$AM/alertmanager.yml" --verify.receivers="$expected" "${labels[@]}" 2>/dev/null)"; then
    route_failed+="expected ${expected}, got $(head -n1 <<<"$out") for: ${labels[*]}"$'\n'
  fi
done <"$AM/route-tests.txt"
if [ "$route_total" -eq 0 ]; then
  fail "amtool config routes test: no case found in ops/alertmanager/route-tests.txt"
elif [ -z "$route_failed" ]; then
  ok "amtool config routes test: $route_total cases route to the expected receivers"
else
  fail "amtool config routes test: wrong receivers" "$route_failed"
fi

# 8. Runbooks and test coverage of every alert.
mapfile -t alerts < <(sed -nE 's/^[[:space:]]*-[[:space:]]*alert:[[:space:]]*([A-Za-z0-9_]+).*/\1/p' "$PROM/rules/alerts.yml" | sort -u)
alert_rules="$(grep -cE '^[[:space:]]*-[[:space:]]*alert:' "$PROM/rules/alerts.yml")"
runbook_problems=""
for a in "${alerts[@]}"; do
  k="$(kebab "$a")"
  [ -f "$RUNBOOKS/$k.md" ] || runbook_problems+="$a: docs/runbooks/$k.md does not exist"$'\n'
  grep -qF "($k.md)" "$RUNBOOKS/README.md" 2>/dev/null || runbook_problems+="$a: docs/runbooks/README.md does not link $k.md"$'\n'
  uses="$(cat "${test_files[@]}" | grep -cE "alertname:[[:space:]]*$a[[:space:]]*$")"
  [ "$uses" -ge 2 ] || runbook_problems+="$a: in $uses alert test(s) under ops/prometheus/tests/ (needs one firing and one silent)"$'\n'
done
while read -r url; do
  case "$url" in
    "$RUNBOOK_BASE"*.md) [ -f "$RUNBOOKS/${url#"$RUNBOOK_BASE"}" ] || runbook_problems+="runbook_url $url: no such file under docs/runbooks/"$'\n' ;;
    *) runbook_problems+="runbook_url $url: not under $RUNBOOK_BASE"$'\n' ;;
  esac
done < <(sed -nE 's/^[[:space:]]*runbook_url:[[:space:]]*//p' "$PROM/rules/alerts.yml" | tr -d "'\"")
url_count="$(grep -cE '^[[:space:]]*runbook_url:' "$PROM/rules/alerts.yml")"
[ "$url_count" -eq "$alert_rules" ] || runbook_problems+="$alert_rules alerting rules but $url_count runbook_url annotations"$'\n'
for a in "${alerts[@]}"; do
  k="$(kebab "$a")"
  grep -qE "^[[:space:]]*runbook_url:[[:space:]]*['\"]?${RUNBOOK_BASE}${k}\.md" "$PROM/rules/alerts.yml" ||
    runbook_problems+="$a: no runbook_url ${RUNBOOK_BASE}${k}.md"$'\n'
done
if [ -z "$runbook_problems" ]; then
  ok "runbooks: ${#alerts[@]} alerts, each with docs/runbooks/<alert>.md, an index entry and fire/silent tests"
else
  fail "runbooks and alert tests" "$runbook_problems"
fi

recording="$(cat "${rule_files[@]}" | grep -cE '^[[:space:]]*-[[:space:]]*record:')"
alert_tests="$(cat "${test_files[@]}" | grep -cE '^[[:space:]]*alertname:')"
expr_tests="$(cat "${test_files[@]}" | grep -cE '^[[:space:]]*-[[:space:]]*expr:')"
summary="${#alerts[@]} alerts in ${alert_rules} alerting rules, ${recording} recording rules, ${alert_tests} alert tests + ${expr_tests} expression tests in ${#test_files[@]} files, ${route_total} routing cases"
if [ "$failures" -gt 0 ]; then
  echo "check-ops: FAILED: $failures of $checks checks failed ($summary)"
  exit 1
fi
echo "check-ops: OK: $checks checks passed; $summary"
