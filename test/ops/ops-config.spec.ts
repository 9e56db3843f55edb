/**
 * Operations as code (issue 13): the Prometheus recording and alerting rules and their promtool tests, the
 * Alertmanager routing, the runbooks, and the metric names the rules use (those the app's registry really exposes, and docs/metrics.md in step).
 *
 * The structural checks read the YAML with the `yaml` package and need no tool. The rest runs
 * scripts/check-ops.sh (promtool + amtool), proves that the checks can fail, routes every alert through
 * amtool and starts a real Alertmanager (secrets from files, templates, inhibition). Those skip, with one
 * line on stderr, when promtool or amtool is missing (Debian packages prometheus, prometheus-alertmanager).
 */
import { appMetricNames, knownMetricNames } from '../support/exposed-metrics.js';
import { expect } from 'chai';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { freePort } from '../support/net.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULES = 'ops/prometheus/rules';
const TESTS = 'ops/prometheus/tests';
const RUNBOOK_BASE = 'https://github.com/car-dano/backend/blob/main/docs/runbooks/';
const SEVERITIES = ['critical', 'warning', 'ticket'];
const TEAMS = ['backend', 'ops', 'chain'];
/** Alertmanager receiver per severity (ops/alertmanager/alertmanager.yml): `<team>-<suffix>`. */
const RECEIVER_SUFFIX: Record<string, string> = { critical: 'page', warning: 'slack', ticket: 'ticket' };

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface AlertTest {
  alertname: string;
  eval_time: string;
  exp_alerts?: { exp_labels?: Record<string, string> }[] | null;
}
interface TestFile {
  tests: { name: string; alert_rule_test?: AlertTest[] }[];
}

const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');
const rulesOf = (rel: string): Rule[] => (parse(read(rel)) as RuleFile).groups.flatMap((g) => g.rules);
const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Runs a command in the repository; never rejects: the exit code and the merged output are returned. */
function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: what is left after removing strings, label matchers,
 * ranges, grouping clauses and function calls. Good enough for the expressions of this repository (no
 * `__name__` matchers, no `@` modifiers).
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\w+/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const before = stripped[m.index - 1] ?? ' ';
    const after = stripped.slice(m.index + m[0].length);
    if (/[0-9.]/.test(before)) continue; // exponent of a number: 1e-3
    if (/^\s*\(/.test(after)) continue; // function or aggregation
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Metrics that later issues add (backups, cache): their alerts are written and tested already. */
const PLACEHOLDERS = ['car_dano_cache_operations_total'];

/** Metric names of the docs/metrics.md tables (first column in backticks, second the type). */
function catalogue(): Set<string> {
  const names = new Set<string>();
  for (const m of read('docs/metrics.md').matchAll(
    /^\|\s*`([A-Za-z_:][A-Za-z0-9_:]*)`\s*\|\s*(counter|gauge|histogram|summary)\s*\|/gm,
  )) {
    const [, name, type] = m as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

function alertTests(): AlertTest[] {
  return readdirSync(path.join(ROOT, TESTS))
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => (parse(read(`${TESTS}/${f}`)) as TestFile).tests)
    .flatMap((t) => t.alert_rule_test ?? []);
}

describe('operations config: Prometheus rules, Alertmanager routing, runbooks', function () {
  this.timeout(300_000);
  const alerts = rulesOf(`${RULES}/alerts.yml`).filter((r) => r.alert);
  const recording = rulesOf(`${RULES}/recording.yml`).filter((r) => r.record);

  it('has alerts and recording rules to check', () => {
    expect(alerts.length).to.be.greaterThan(30);
    expect(recording.length).to.be.greaterThan(50);
  });

  it('every alert has severity, team, summary, description and a runbook page that exists and is indexed', () => {
    const index = read('docs/runbooks/README.md');
    const problems: string[] = [];
    for (const r of alerts) {
      const name = r.alert as string;
      const page = `${kebab(name)}.md`;
      if (!SEVERITIES.includes(r.labels?.severity ?? '')) problems.push(`${name}: severity ${r.labels?.severity}`);
      if (!TEAMS.includes(r.labels?.team ?? '')) problems.push(`${name}: team ${r.labels?.team}`);
      if (!r.annotations?.summary?.trim()) problems.push(`${name}: no summary`);
      if (!r.annotations?.description?.trim()) problems.push(`${name}: no description`);
      if (r.annotations?.runbook_url !== RUNBOOK_BASE + page)
        problems.push(`${name}: runbook_url ${r.annotations?.runbook_url}`);
      if (!existsSync(path.join(ROOT, 'docs/runbooks', page))) problems.push(`${name}: docs/runbooks/${page} missing`);
      if (!index.includes(`(${page})`)) problems.push(`${name}: not in docs/runbooks/README.md`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('every runbook page belongs to an alert (no stale pages)', () => {
    // Alerts of the Loki ruler (ops/loki/rules/, checked by test/ops/loki.spec.ts) have pages too, and so do
    // the procedures alert pages link to (each listed under "Procedures" in docs/runbooks/README.md).
    const lokiAlerts = rulesOf('ops/loki/rules/car-dano/alerts.yml').filter((r) => r.alert);
    const procedures = ['logs.md', 'backup-restore.md', 'object-manifest.md', 'storage-switch.md'];
    const index = read('docs/runbooks/README.md');
    expect(
      procedures.filter((p) => !index.includes(`(${p})`)),
      'procedures missing from the runbook index',
    ).to.deep.equal([]);
    const pages = new Set([...alerts, ...lokiAlerts].map((r) => `${kebab(r.alert as string)}.md`).concat(procedures));
    const stale = readdirSync(path.join(ROOT, 'docs/runbooks')).filter((f) => f !== 'README.md' && !pages.has(f));
    expect(stale).to.deep.equal([]);
  });

  it('recording rules are named level:metric:operations, each once', () => {
    const names = recording.map((r) => r.record as string);
    expect(names.filter((n) => !/^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/.test(n))).to.deep.equal([]);
    expect(new Set(names).size).to.equal(names.length);
  });

  it('finds metric names in PromQL (the extractor the next check relies on)', () => {
    expect(
      metricNames(
        'sum by (env) (rate(foo_total{a="b",route!~"/x/{id}"}[5m])) / on (env) group_left bar:baz:rate5m > 3 * 1e-3',
      ),
    ).to.deep.equal(['foo_total', 'bar:baz:rate5m']);
    expect(metricNames('time() - max by (env) (x_seconds) > 36 * 3600 and up == 0')).to.deep.equal(['x_seconds', 'up']);
    expect(metricNames('histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))')).to.deep.equal(['h_bucket']);
  });

  it('rules use only metrics the app really exposes (its registry), the named exporters, placeholders and recording rules', async () => {
    const known = await knownMetricNames();
    expect(known.has('car_dano_http_request_duration_seconds_bucket')).to.equal(true);
    expect(known.has('pg_up')).to.equal(true);
    for (const name of PLACEHOLDERS) known.add(name);
    for (const r of recording) known.add(r.record as string);
    const unknown: string[] = [];
    for (const r of [...recording, ...alerts]) {
      for (const name of metricNames(r.expr)) if (!known.has(name)) unknown.push(`${r.alert ?? r.record}: ${name}`);
    }
    expect(unknown).to.deep.equal([]);
  });

  it('every car_dano_ metric the app exposes is documented in docs/metrics.md, and the catalogue names no metric the app lacks', async () => {
    const exposed = [...(await appMetricNames())].filter((n) => n.startsWith('car_dano_'));
    const documented = catalogue();
    expect(exposed.filter((n) => !documented.has(n))).to.deep.equal([]);
    // A histogram is documented by its name; the registry lists its _bucket, _sum and _count series.
    const families = new Set([...exposed, ...exposed.map((n) => n.replace(/_(bucket|sum|count)$/, ''))]);
    const missing = [...documented].filter(
      (n) => n.startsWith('car_dano_') && !families.has(n) && !PLACEHOLDERS.includes(n),
    );
    expect(missing).to.deep.equal([]);
  });

  it('every alerting rule has a promtool case where it fires (its severity and team) and one where it stays silent', () => {
    const tests = alertTests();
    const fired = new Set<string>();
    const silent = new Set<string>();
    for (const t of tests) {
      const expected = t.exp_alerts ?? [];
      if (expected.length === 0) silent.add(t.alertname);
      for (const e of expected) fired.add(`${t.alertname}/${e.exp_labels?.severity}/${e.exp_labels?.team}`);
    }
    const missing: string[] = [];
    for (const r of alerts) {
      const key = `${r.alert}/${r.labels?.severity}/${r.labels?.team}`;
      if (!fired.has(key)) missing.push(`${key}: no firing case`);
      if (!silent.has(r.alert as string)) missing.push(`${r.alert}: no silent case`);
    }
    expect(missing).to.deep.equal([]);
  });

  it('scripts/check-ops.sh prints one SKIPPED line and succeeds without promtool', async () => {
    const { code, out } = await run('bash', ['scripts/check-ops.sh'], { PROMTOOL: '/nonexistent/promtool' });
    expect(code, out).to.equal(0);
    expect(out.trim()).to.match(/^check-ops: SKIPPED: promtool not found/);
  });

  describe('with promtool and amtool (Debian packages prometheus, prometheus-alertmanager)', function () {
    let tmp: string;

    before(function () {
      if (!onPath('promtool') || !onPath('amtool')) {
        console.error('ops-config: promtool or amtool not found: skipping the checks that run them');
        this.skip();
      }
      tmp = mkdtempSync(path.join(os.tmpdir(), 'cardano-ops-'));
    });

    after(() => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('scripts/check-ops.sh passes', async () => {
      const { code, out } = await run('bash', ['scripts/check-ops.sh']);
      expect(code, out).to.equal(0);
      expect(out.trim().split('\n').pop(), out).to.match(/^check-ops: OK: /);
    });

    it('scripts/check-ops.sh fails on a broken rule, a missing runbook and a wrong route', async () => {
      const copy = path.join(tmp, 'broken');
      cpSync(path.join(ROOT, 'ops'), path.join(copy, 'ops'), { recursive: true });
      cpSync(path.join(ROOT, 'docs/runbooks'), path.join(copy, 'docs/runbooks'), { recursive: true });
      const alertsFile = path.join(copy, RULES, 'alerts.yml');
      const text = readFileSync(alertsFile, 'utf8');
      expect(text).to.include('expr: pg_up == 0');
      writeFileSync(alertsFile, text.replace('expr: pg_up == 0', 'expr: pg_up == (0'));
      rmSync(path.join(copy, 'docs/runbooks/redis-down.md'));
      const routes = path.join(copy, 'ops/alertmanager/route-tests.txt');
      writeFileSync(
        routes,
        `${readFileSync(routes, 'utf8')}\nops-slack | alertname=X severity=critical team=backend\n`,
      );

      const { code, out } = await run('bash', ['scripts/check-ops.sh'], { OPS_ROOT: copy, CHECK_OPS_UNIT_TESTS: '0' });
      expect(code, out).to.equal(1);
      expect(out).to.include('FAIL promtool check rules');
      expect(out).to.include('docs/runbooks/redis-down.md does not exist');
      expect(out).to.include('FAIL amtool config routes test: wrong receivers');
      expect(out.trim().split('\n').pop()).to.match(/^check-ops: FAILED: /);
    });

    it('promtool check rules rejects a rules file with a YAML syntax error', async () => {
      const bad = path.join(tmp, 'bad-rules.yml');
      writeFileSync(
        bad,
        'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: up == 0\n       labels: [\n',
      );
      const { code, out } = await run('promtool', ['check', 'rules', bad]);
      expect(code, out).to.not.equal(0);
      expect(out).to.match(/FAILED/);
    });

    it('promtool test rules fails when an alert does not behave as its test says', async () => {
      const dir = path.join(tmp, 'wrong-test');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'wrong.yml'),
        [
          'rule_files:',
          `  - ${path.join(ROOT, RULES, 'alerts.yml')}`,
          'evaluation_interval: 1m',
          'tests:',
          '  - name: the API is down but the test claims silence',
          '    interval: 1m',
          '    input_series:',
          `      - series: 'up{job="car-dano-api",instance="127.0.0.1:3000",service="api",env="production"}'`,
          `        values: '0x15'`,
          '    alert_rule_test:',
          '      - eval_time: 10m',
          '        alertname: ApiTargetDown',
          '        exp_alerts: []',
          '',
        ].join('\n'),
      );
      const { code, out } = await run('promtool', ['test', 'rules', path.join(dir, 'wrong.yml')]);
      expect(code, out).to.not.equal(0);
      expect(out).to.include('alertname: ApiTargetDown');
    });

    it('amtool routes every alerting rule to <team>-<page|slack|ticket>', async () => {
      const config = path.join(ROOT, 'ops/alertmanager/alertmanager.yml');
      const results = await Promise.all(
        alerts.map(async (r) => {
          const labels: Record<string, string> = { alertname: r.alert as string, env: 'production', ...r.labels };
          const expected = `${labels.team}-${RECEIVER_SUFFIX[labels.severity ?? '']}`;
          const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
          const { code, out } = await run('amtool', [
            'config',
            'routes',
            'test',
            `--config.file=${config}`,
            `--verify.receivers=${expected}`,
            ...args,
          ]);
          return code === 0 ? null : `${r.alert}/${labels.severity}: expected ${expected}, got ${out.split('\n')[0]}`;
        }),
      );
      expect(results.filter(Boolean)).to.deep.equal([]);
    });

    it('a real Alertmanager reads its secrets from files, links the runbook and inhibits as documented', async function () {
      const binary = ['prometheus-alertmanager', 'alertmanager'].find(onPath);
      if (!binary) {
        console.error('ops-config: no Alertmanager binary: skipping the live routing check');
        this.skip();
      }
      const dir = path.join(tmp, 'am');
      cpSync(path.join(ROOT, 'ops/alertmanager'), dir, { recursive: true });
      mkdirSync(path.join(dir, 'secrets'));
      const received: { url: string; body: string }[] = [];
      const stub = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push({ url: req.url ?? '', body });
          res.end('ok');
        });
      });
      const stubPort = await freePort();
      await new Promise<void>((resolve) => stub.listen(stubPort, '127.0.0.1', resolve));
      const config = readFileSync(path.join(dir, 'alertmanager.yml'), 'utf8');
      for (const [, file] of config.matchAll(/\/etc\/alertmanager\/secrets\/([A-Za-z0-9._-]+)/g)) {
        writeFileSync(path.join(dir, 'secrets', file as string), `http://127.0.0.1:${stubPort}/${file}\n`);
      }
      writeFileSync(
        path.join(dir, 'alertmanager.yml'),
        config
          .replaceAll('/etc/alertmanager/secrets/', `${path.join(dir, 'secrets')}/`)
          .replace(/smtp_smarthost: .*/, "smtp_smarthost: '127.0.0.1:1'"),
      );
      const amPort = await freePort();
      const am: ChildProcess = spawn(
        binary as string,
        [
          `--config.file=${path.join(dir, 'alertmanager.yml')}`,
          `--storage.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${amPort}`,
          '--cluster.listen-address=',
        ],
        { stdio: 'ignore' },
      );
      const base = `http://127.0.0.1:${amPort}`;
      try {
        const until = async (what: string, ok: () => Promise<boolean>, ms: number): Promise<void> => {
          const end = Date.now() + ms;
          while (!(await ok().catch(() => false))) {
            if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
            await new Promise((r) => setTimeout(r, 200));
          }
        };
        await until('Alertmanager to be ready', async () => (await fetch(`${base}/-/ready`)).ok, 15_000);
        const common = { env: 'production', team: 'backend' };
        const post = await fetch(`${base}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([
            {
              labels: { ...common, alertname: 'PostgresDown', severity: 'critical', team: 'ops', service: 'postgres' },
              annotations: {
                summary: 'PostgreSQL is down (production)',
                description: 'postgres_exporter cannot connect.',
                runbook_url: `${RUNBOOK_BASE}postgres-down.md`,
              },
            },
            { labels: { ...common, alertname: 'ApiTargetDown', severity: 'critical', service: 'api' } },
            { labels: { ...common, alertname: 'ApiAvailabilityFastBurn', severity: 'critical', service: 'api' } },
            {
              labels: {
                ...common,
                alertname: 'ReportPipelineLatencySlowBurn',
                severity: 'ticket',
                service: 'worker',
                slo: 'report-latency',
              },
            },
            {
              labels: {
                ...common,
                alertname: 'ReportPipelineLatencyFastBurn',
                severity: 'critical',
                service: 'worker',
                slo: 'report-latency',
              },
            },
            { labels: { ...common, alertname: 'ReportQueueOldestJobAge', severity: 'warning', service: 'worker' } },
            { labels: { ...common, alertname: 'ReportQueueOldestJobAge', severity: 'critical', service: 'worker' } },
          ]),
        });
        expect(post.status).to.equal(200);

        const states = async (): Promise<Record<string, string>> => {
          const list = (await (await fetch(`${base}/api/v2/alerts`)).json()) as {
            labels: Record<string, string>;
            status: { state: string };
          }[];
          return Object.fromEntries(list.map((a) => [`${a.labels.alertname}/${a.labels.severity}`, a.status.state]));
        };
        await until('the inhibitions', async () => Object.values(await states()).includes('suppressed'), 10_000);
        expect(await states()).to.deep.equal({
          'PostgresDown/critical': 'active',
          'ApiTargetDown/critical': 'active',
          // the target down silences the rest of its service
          'ApiAvailabilityFastBurn/critical': 'suppressed',
          // a fast burn silences the slow burn of the same SLO
          'ReportPipelineLatencyFastBurn/critical': 'active',
          'ReportPipelineLatencySlowBurn/ticket': 'suppressed',
          // critical silences the warning of the same alert and service
          'ReportQueueOldestJobAge/critical': 'active',
          'ReportQueueOldestJobAge/warning': 'suppressed',
        });

        // The critical route waits group_wait (10 s) before the first notification.
        await until(
          'the pager Slack message',
          async () => received.some((r) => r.body.includes('PostgresDown')),
          30_000,
        );
        const slack = received.find((r) => r.body.includes('PostgresDown')) as { url: string; body: string };
        expect(slack.url).to.equal('/slack-pager-url');
        const message = JSON.parse(slack.body) as { channel: string; attachments: { title: string; text: string }[] };
        expect(message.channel).to.equal('#car-dano-pager');
        expect(message.attachments[0]?.title).to.equal(
          '[FIRING:1] PostgresDown (postgres, production) [critical, team ops]',
        );
        expect(message.attachments[0]?.text).to.include(`Runbook: ${RUNBOOK_BASE}postgres-down.md`);
      } finally {
        am.kill('SIGTERM');
        await new Promise<void>((resolve) => stub.close(() => resolve()));
      }
    });
  });
});
