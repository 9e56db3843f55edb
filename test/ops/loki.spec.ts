/**
 * Loki as code (issue 14): ops/loki/ (Alloy and promtail pipelines, Loki single-binary and simple-scalable
 * configs, per-tenant overrides, LogQL alerting rules, saved queries), the Loki datasource and the logs
 * dashboard. Loki, Alloy, promtail and Grafana cannot run on these machines: everything here is static.
 *
 * - Every LogQL expression (ruler alerts, ops/loki/queries.json, the logs dashboard's Loki targets) parses
 *   with @grafana/lezer-logql (Grafana's own LogQL grammar) without an error node, and its stream selectors
 *   use only the four labels; the check is shown to fail on broken queries.
 * - The label policy on REAL lines: the app is built in-process (buildTestApp, PostgreSQL), a short journey
 *   (register, login, a wrong password, a 404, a bad body, a refused approval, a forwarded request) writes
 *   JSON lines through the real winston logger; each line goes through test/support/loki-labels.ts, which
 *   applies config.alloy's stages with the values read from config.alloy. Labels are exactly app, env,
 *   service, level, with bounded values and no id, e-mail or request id in any value.
 * - Both agent configs declare exactly those labels, and promtail's policy equals Alloy's.
 * - The YAML files parse; retention is 720h for the production and staging tenants; limits are set;
 *   object-storage credentials come from the environment.
 * - Alerting rules: severity, team, summary, description, runbook_url to an indexed page that exists.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@grafana/lezer-logql';
import supertest from 'supertest';
import { parse } from 'yaml';
import { buildTestApp } from '../support/api.js';
import { useTestDatabase } from '../support/db.js';
import {
  bytes,
  parseAlloyPolicy,
  parsePromtailPolicy,
  shipLine,
  type LabelPolicy,
  type Shipped,
} from '../support/loki-labels.js';
import { withoutGrafanaVariables } from '../support/promql.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');
const yaml = <T>(rel: string): T => parse(read(rel)) as T;

const LABELS = ['app', 'env', 'level', 'service'];
const ALLOWED_VALUES: Record<string, string[]> = {
  app: ['car-dano'],
  env: ['production', 'staging'],
  service: ['api', 'worker'],
  level: ['error', 'warn', 'info', 'http', 'debug', 'unknown'],
};
const RULES = 'ops/loki/rules/car-dano/alerts.yml';
const RUNBOOK_BASE = 'https://github.com/car-dano/backend/blob/main/docs/runbooks/';
const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

interface Located {
  where: string;
  expr: string;
}
interface LokiRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Problems of one LogQL expression: error nodes, or stream-selector labels outside the policy. */
export function logqlProblems(expr: string): string[] {
  const text = withoutGrafanaVariables(expr, { __auto: '5m' });
  const tree = parser.parse(text);
  const problems: string[] = [];
  const selectors: [number, number][] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError)
        problems.push(`syntax error at ${n.from}: "${text.slice(Math.max(0, n.from - 15), n.to + 15)}"`);
      if (n.name === 'Selector') selectors.push([n.from, n.to]);
    },
  });
  if (selectors.length === 0 && problems.length === 0) problems.push('no stream selector');
  tree.iterate({
    enter: (n) => {
      if (n.name !== 'Identifier' || n.node.parent?.name !== 'Matcher') return;
      if (!selectors.some(([a, b]) => n.from >= a && n.to <= b)) return;
      const label = text.slice(n.from, n.to);
      if (!LABELS.includes(label)) problems.push(`stream selector on label "${label}" (only ${LABELS.join(', ')})`);
    },
  });
  return problems;
}

function allLogql(): Located[] {
  const rules = yaml<{ groups: { rules: LokiRule[] }[] }>(RULES).groups.flatMap((g) => g.rules);
  const queries = (JSON.parse(read('ops/loki/queries.json')) as { queries: { name: string; expr: string }[] }).queries;
  const dash = JSON.parse(read('ops/grafana/dashboards/car-dano-logs.json')) as {
    panels: { title: string; targets?: { refId: string; expr?: string; datasource?: { uid?: string } }[] }[];
  };
  const panels = dash.panels.flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => t.datasource?.uid === 'loki' && t.expr)
      .map((t) => ({ where: `car-dano-logs / ${p.title} [${t.refId}]`, expr: t.expr as string })),
  );
  return [
    ...rules.map((r) => ({ where: `${RULES}: ${r.alert}`, expr: r.expr })),
    ...queries.map((q) => ({ where: `ops/loki/queries.json: ${q.name}`, expr: q.expr })),
    ...panels,
  ];
}

describe('Loki as code (ops/loki): LogQL, label policy on real log lines, configs', function () {
  this.timeout(120_000);

  describe('LogQL', () => {
    it('every expression of the rules, the saved queries and the logs dashboard parses, selecting only the four labels', () => {
      const all = allLogql();
      const counts = {
        rules: all.filter((e) => e.where.startsWith(RULES)).length,
        queries: all.filter((e) => e.where.startsWith('ops/loki/queries.json')).length,
        panels: all.filter((e) => e.where.startsWith('car-dano-logs')).length,
      };
      expect(counts.rules).to.be.greaterThanOrEqual(4);
      expect(counts.queries).to.be.greaterThanOrEqual(10);
      expect(counts.panels).to.be.greaterThanOrEqual(8);
      const problems = all.flatMap((e) => logqlProblems(e.expr).map((p) => `${e.where}: ${p}`));
      expect(problems).to.deep.equal([]);
    });

    it('the check fails on broken queries and on a selector by an id label', () => {
      const good = 'sum by (env) (count_over_time({app="car-dano", level="http"} | json | status >= 500 [$__auto]))';
      expect(logqlProblems(good)).to.deep.equal([]);
      const broken = [
        '{app="car-dano" | json', // unclosed selector
        'sum(count_over_time({app="car-dano"} | json [5m]', // unclosed call
        'count_over_time({app="car-dano"} |= [5m])', // line filter without a string
        '{app="car-dano"} | json | status >>= 500', // bad operator
        'rate({app=car-dano}[5m])', // unquoted value
      ];
      for (const q of broken) expect(logqlProblems(q), q).to.not.deep.equal([]);
      expect(logqlProblems('{app="car-dano", requestId="abc"}')).to.deep.equal([
        'stream selector on label "requestId" (only app, env, level, service)',
      ]);
      // A label filter after the parser may use any field: that is where ids belong.
      expect(logqlProblems('{app="car-dano"} | json | requestId="abc"')).to.deep.equal([]);
    });
  });

  describe('label policy on real log lines (test/support/loki-labels.ts mirrors config.alloy)', () => {
    let knex: Knex;
    useTestDatabase((k) => (knex = k));
    let alloy: LabelPolicy;
    let lines: string[];
    const ENV = { CAR_DANO_ENV: 'production' };
    const email = 'loki-journey@example.com';

    before(() => {
      alloy = parseAlloyPolicy(read('ops/loki/alloy/config.alloy'));
    });

    beforeEach(async () => {
      const t = buildTestApp({ knex });
      const agent = supertest(t.app);
      const password = 'correct-horse-battery-9';
      await agent.post('/api/v1/auth/register').send({ email, name: 'Loki Journey', password }).expect(201);
      const login = await agent.post('/api/v1/auth/login').send({ identifier: email, password }).expect(200);
      const token = (login.body as { accessToken: string }).accessToken;
      await agent.get('/api/v1/auth/me').set('authorization', `Bearer ${token}`).expect(200);
      await agent.post('/api/v1/auth/login').send({ identifier: email, password: 'wrong-password-123' }).expect(401);
      await agent.get('/api/v1/no-such-route').expect(404);
      await agent.post('/api/v1/auth/register').send({ email: 'not-an-email', name: '', password: 'x' }).expect(400);
      await agent.post('/api/v1/inspections/7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a/approve').expect(401);
      await agent.get('/api/v1/health/live').set('x-forwarded-for', '203.0.113.9');
      lines = t.logs.raw().split('\n').filter(Boolean);
    });

    it('a journey of the real app gives access, info/warn lines, all JSON', () => {
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const levels = new Set(parsed.map((p) => p.level));
      expect([...levels]).to.include.members(['http', 'warn']);
      expect(parsed.filter((p) => p.level === 'http').length).to.be.greaterThanOrEqual(8);
      // The ids really are in the lines (so a leak into a label would be visible).
      expect(parsed.some((p) => typeof p.requestId === 'string')).to.equal(true);
      expect(parsed.some((p) => typeof p.userId === 'string')).to.equal(true);
      const sizes = lines.map((l) => Buffer.byteLength(l));
      const access = lines.filter((l) => l.includes('"level":"http"')).map((l) => Buffer.byteLength(l));
      const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
      console.log(
        `      ${lines.length} lines, mean ${mean(sizes)} B (access lines: ${access.length}, mean ${mean(access)} B, max ${Math.max(...access)} B)`,
      );
    });

    it('every line, from a file, journald or a container, gets exactly {app, env, service, level} with bounded values and no ids', () => {
      const sources = [
        { kind: 'file', path: '/var/log/car-dano/api.log' },
        { kind: 'journal', unit: 'car-dano-api.service' },
        { kind: 'docker', containerLabels: { 'car-dano.service': 'api', 'com.docker.compose.service': 'api' } },
      ] as const;
      const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|@|[0-9a-f]{16,}|\d{4}-\d{2}-\d{2}/i;
      const problems: string[] = [];
      const shipped: Shipped[] = [];
      for (const source of sources) {
        for (const line of lines) {
          const s = shipLine(alloy, source, line, ENV);
          if (!s) {
            problems.push(`${source.kind}: line dropped: ${line.slice(0, 80)}`);
            continue;
          }
          shipped.push(s);
          expect(Object.keys(s.labels).sort(), line).to.deep.equal(LABELS);
          for (const [k, v] of Object.entries(s.labels)) {
            if (!ALLOWED_VALUES[k]?.includes(v)) problems.push(`${source.kind}: ${k}="${v}" is not an allowed value`);
            if (ID.test(v)) problems.push(`${source.kind}: ${k}="${v}" looks like an id`);
            if (line.includes(`"requestId":"${v}"`)) problems.push(`${source.kind}: request id as ${k}`);
          }
        }
      }
      expect(problems).to.deep.equal([]);
      // Bounded: the whole journey, from three sources, is a handful of streams.
      const streams = new Set(shipped.map((s) => JSON.stringify(s.labels)));
      expect(streams.size).to.be.lessThanOrEqual(6);
      expect([...new Set(shipped.map((s) => s.labels.level))]).to.include.members(['http', 'warn']);
    });

    it('ids stay in the line; the timestamp duplicate is dropped and becomes the entry time', () => {
      for (const line of lines) {
        const s = shipLine(alloy, { kind: 'file', path: '/var/log/car-dano/api-2.log' }, line, ENV) as Shipped;
        const before = JSON.parse(line) as Record<string, unknown>;
        const after = JSON.parse(s.line) as Record<string, unknown>;
        expect(after.timestamp, s.line).to.equal(undefined);
        expect(s.time?.toISOString()).to.equal(before.timestamp);
        const { timestamp: _dropped, ...rest } = before;
        expect(after).to.deep.equal(rest);
      }
    });

    it('the fields the rules filter on exist in the real lines (route template, numeric status)', () => {
      const rules = yaml<{ groups: { rules: LokiRule[] }[] }>(RULES).groups.flatMap((g) => g.rules);
      const approval = rules.find((r) => r.alert === 'ApprovalFailuresBurst')?.expr ?? '';
      const routeRegex = /route=~"([^"]+)"/.exec(approval)?.[1] as string;
      // LogQL regex label filters are anchored at both ends.
      const matches = (route: unknown) => new RegExp(`^(?:${routeRegex})$`).test(String(route));
      const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((p) => p.level === 'http');
      const refused = access.filter((p) => matches(p.route));
      expect(refused.map((p) => [p.route, p.status])).to.deep.equal([['/api/v1/inspections/{id}/approve', 401]]);
      expect(access.filter((p) => p.route === '/api/v1/auth/login').every((p) => !matches(p.route))).to.equal(true);
      expect(access.every((p) => typeof p.status === 'number' && typeof p.requestId === 'string')).to.equal(true);
      expect(approval).to.match(/\|= "approve"/);
      expect(refused.every((p) => JSON.stringify(p).includes('approve'))).to.equal(true);
    });

    it('the pipeline normalises levels, drops foreign sources, over-long and too-old lines', () => {
      const file = { kind: 'file', path: '/var/log/car-dano/worker.log' } as const;
      const level = (l: string) => shipLine(alloy, file, JSON.stringify({ level: l, message: 'x' }), ENV)?.labels.level;
      expect(
        ['WARNING', ' Warn', 'error', 'FATAL', 'verbose', 'silly', 'http', 'notice', 'whatever'].map(level),
      ).to.deep.equal(['warn', 'warn', 'error', 'error', 'debug', 'debug', 'http', 'info', 'unknown']);
      expect(shipLine(alloy, file, 'Error: boom\n    at x', ENV)?.labels).to.deep.equal({
        service: 'worker',
        app: 'car-dano',
        env: 'production',
      });
      expect(shipLine(alloy, { kind: 'file', path: '/var/log/car-dano/nginx.log' }, '{}', ENV)).to.equal(undefined);
      expect(shipLine(alloy, { kind: 'journal', unit: 'sshd.service' }, '{}', ENV)).to.equal(undefined);
      expect(shipLine(alloy, { kind: 'docker', containerLabels: { 'car-dano.service': 'db' } }, '{}', ENV)).to.equal(
        undefined,
      );
      const big = JSON.stringify({ level: 'info', message: 'x'.repeat(alloy.longerThanBytes) });
      expect(shipLine(alloy, file, big, ENV)).to.equal(undefined);
      const old = JSON.stringify({ level: 'info', message: 'x', timestamp: '2026-01-01T00:00:00.000Z' });
      expect(shipLine(alloy, file, old, ENV, new Date('2026-12-01T00:00:00Z'))).to.equal(undefined);
      expect(shipLine(alloy, file, old, ENV, new Date('2026-01-02T00:00:00Z'))?.labels.level).to.equal('info');
    });
  });

  describe('agent configs', () => {
    it('config.alloy and promtail declare exactly app, env, service, level, and keep only those', () => {
      const alloy = parseAlloyPolicy(read('ops/loki/alloy/config.alloy'));
      const promtail = parsePromtailPolicy(read('ops/loki/promtail/config.yml'));
      for (const p of [alloy, promtail]) {
        expect(p.declared).to.deep.equal(LABELS);
        expect([...p.keep].sort()).to.deep.equal(LABELS);
        expect(p.staticLabels).to.deep.equal({ app: 'car-dano' });
        expect(p.externalLabels).to.deep.equal({ env: 'CAR_DANO_ENV' });
        expect(p.fileTargets.map((f) => f.service).sort()).to.deep.equal(['api', 'worker']);
        expect(p.fileTargets.every((f) => f.glob.startsWith('/var/log/car-dano/') && f.glob.endsWith('.log'))).to.equal(
          true,
        );
      }
      expect(promtail).to.deep.equal(alloy);
    });

    it('the level map covers every winston level, into the bounded set', () => {
      const alloy = parseAlloyPolicy(read('ops/loki/alloy/config.alloy'));
      for (const l of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'])
        expect(alloy.levelMap[l], l).to.be.a('string');
      expect(
        [...new Set([...Object.values(alloy.levelMap), alloy.levelDefault])].every((v) =>
          ALLOWED_VALUES.level?.includes(v),
        ),
      ).to.equal(true);
    });

    it('both agents read the journald units car-dano-api and car-dano-worker and Docker containers labelled car-dano.service', () => {
      const alloy = read('ops/loki/alloy/config.alloy');
      expect(alloy).to.include('_SYSTEMD_UNIT=car-dano-api.service _SYSTEMD_UNIT=car-dano-worker.service');
      expect(alloy).to.match(/discovery\.docker "car_dano"/);
      const promtail = yaml<{ scrape_configs: { job_name: string; journal?: { matches?: string } }[] }>(
        'ops/loki/promtail/config.yml',
      );
      expect(promtail.scrape_configs.map((j) => j.job_name)).to.deep.equal([
        'car-dano-files',
        'car-dano-journal',
        'car-dano-docker',
      ]);
      expect(promtail.scrape_configs[1]?.journal?.matches).to.equal(
        '_SYSTEMD_UNIT=car-dano-api.service _SYSTEMD_UNIT=car-dano-worker.service',
      );
    });
  });

  describe('Loki configs', () => {
    const files = [
      'ops/loki/loki-single.yml',
      'ops/loki/loki-distributed.yml',
      'ops/loki/overrides.yml',
      'ops/loki/promtail/config.yml',
      RULES,
      'ops/grafana/provisioning/datasources/loki.yml',
    ];

    it('every YAML file parses (and queries.json is JSON)', () => {
      for (const f of files) expect(() => parse(read(f)), f).to.not.throw();
      expect(() => JSON.parse(read('ops/loki/queries.json'))).to.not.throw();
    });

    it('retention is 720h for the production and staging tenants (runtime overrides and Helm values)', () => {
      type Overrides = Record<string, { retention_period?: string; ingestion_rate_mb?: number }>;
      const runtime = yaml<{ overrides: Overrides }>('ops/loki/overrides.yml').overrides;
      const helm = yaml<{
        loki: { runtimeConfig: { overrides: Overrides }; limits_config: { retention_period: string } };
      }>('ops/loki/loki-distributed.yml').loki;
      for (const o of [runtime, helm.runtimeConfig.overrides]) {
        expect(Object.keys(o).sort()).to.deep.equal(['production', 'staging']);
        expect(o.production?.retention_period).to.equal('720h');
        expect(o.staging?.retention_period).to.equal('720h');
      }
      expect(helm.limits_config.retention_period).to.equal('720h');
    });

    it('single binary: multi-tenant, compactor retention, limits set, B2 credentials from the environment', () => {
      const c = yaml<{
        auth_enabled: boolean;
        server: { http_listen_address: string };
        common: { storage: { s3: Record<string, string | boolean> } };
        compactor: { retention_enabled: boolean };
        limits_config: Record<string, unknown>;
        runtime_config: { file: string };
        schema_config: { configs: { store: string; object_store: string; schema: string }[] };
      }>('ops/loki/loki-single.yml');
      expect(c.auth_enabled).to.equal(true);
      expect(c.server.http_listen_address, 'behind the auth proxy only').to.equal('127.0.0.1');
      expect(c.compactor.retention_enabled).to.equal(true);
      expect(c.limits_config.retention_period).to.equal('720h');
      for (const k of ['ingestion_rate_mb', 'ingestion_burst_size_mb', 'max_global_streams_per_user', 'max_line_size'])
        expect(c.limits_config[k], k).to.not.equal(undefined);
      expect(c.runtime_config.file).to.equal('/etc/loki/overrides.yml');
      expect(c.schema_config.configs.at(-1)).to.include({ store: 'tsdb', object_store: 's3', schema: 'v13' });
      const s3 = c.common.storage.s3;
      expect(s3.access_key_id).to.match(/^\$\{[A-Z0-9_]+\}$/);
      expect(s3.secret_access_key).to.match(/^\$\{[A-Z0-9_]+\}$/);
      expect(s3.endpoint).to.match(/^\$\{[A-Z0-9_]+\}$/);
      // The pipeline drops the lines Loki would refuse: the same limit on both sides (KiB, not KB).
      const overrides = yaml<{ overrides: Record<string, { max_line_size: string }> }>('ops/loki/overrides.yml');
      const agentLimit = parseAlloyPolicy(read('ops/loki/alloy/config.alloy')).longerThanBytes;
      for (const limit of [
        c.limits_config.max_line_size,
        ...Object.values(overrides.overrides).map((o) => o.max_line_size),
      ])
        expect(bytes(String(limit)), String(limit)).to.equal(agentLimit);
    });

    it('the Loki datasource is uid "loki", multi-tenant, with its secrets from the environment', () => {
      const ds = yaml<{
        datasources: {
          uid: string;
          type: string;
          editable: boolean;
          jsonData: Record<string, unknown>;
          secureJsonData: Record<string, string>;
        }[];
      }>('ops/grafana/provisioning/datasources/loki.yml').datasources;
      expect(ds).to.have.length(1);
      expect(ds[0]).to.include({ uid: 'loki', type: 'loki', editable: false });
      expect(ds[0]?.jsonData.httpHeaderName1).to.equal('X-Scope-OrgID');
      expect(ds[0]?.secureJsonData.basicAuthPassword).to.match(/^\$[A-Z_]+$/);
    });
  });

  describe('alerting rules for the Loki ruler', () => {
    const rules = yaml<{ groups: { rules: LokiRule[] }[] }>(RULES).groups.flatMap((g) => g.rules);

    it('has the four alerts: approval failures, CHAIN.UTXO_BUSY, breaker opened, 5xx burst', () => {
      expect(rules.map((r) => r.alert)).to.deep.equal([
        'ApprovalFailuresBurst',
        'ChainUtxoBusyBurst',
        'BreakerOpenedInLogs',
        'ApiServerErrorsBurst',
      ]);
    });

    it('every alert has severity, team, summary, description and a runbook page that exists and is indexed', () => {
      const index = read('docs/runbooks/README.md');
      const problems: string[] = [];
      for (const r of rules) {
        const page = `${kebab(r.alert)}.md`;
        if (!['critical', 'warning', 'ticket'].includes(r.labels?.severity ?? ''))
          problems.push(`${r.alert}: severity`);
        if (!['backend', 'chain', 'ops'].includes(r.labels?.team ?? '')) problems.push(`${r.alert}: team`);
        if (!r.annotations?.summary?.trim()) problems.push(`${r.alert}: no summary`);
        if (!r.annotations?.description?.trim()) problems.push(`${r.alert}: no description`);
        if (r.annotations?.runbook_url !== RUNBOOK_BASE + page) problems.push(`${r.alert}: runbook_url`);
        if (!existsSync(path.join(ROOT, 'docs/runbooks', page)))
          problems.push(`${r.alert}: docs/runbooks/${page} missing`);
        if (!index.includes(`(${page})`)) problems.push(`${r.alert}: not in docs/runbooks/README.md`);
      }
      expect(problems).to.deep.equal([]);
    });
  });
});
