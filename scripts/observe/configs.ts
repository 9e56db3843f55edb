/**
 * Runtime copies of the committed Prometheus and Alertmanager configuration (ops/) for a local stack: the
 * same rules, routing tree and inhibitions, with targets on 127.0.0.1, every receiver replaced by one
 * webhook (or nothing), and no secret files. `make observe` and the alerting test both use them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export const OPS_DIR = path.resolve(import.meta.dirname, '../../ops');

/** Where the local Prometheus scrapes and sends alerts, and how often. */
export interface LocalPrometheusOptions {
  api: string;
  worker?: string;
  alertmanager: string;
  /** The rule files to load (absolute paths); default: every file of ops/prometheus/rules. */
  ruleFiles?: string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** File holding METRICS_TOKEN, when the app requires it on /metrics. */
  tokenFile?: string;
  env?: string;
}

/** The committed rule files. */
export const committedRuleFiles = (): string[] => {
  const dir = path.join(OPS_DIR, 'prometheus/rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
};

/** prometheus.yml for a local stack: the app's API and worker only (exporters are not started locally). */
export function localPrometheusConfig(o: LocalPrometheusOptions): string {
  const job = (name: string, target: string, service: string) => ({
    job_name: name,
    ...(o.tokenFile ? { authorization: { type: 'Bearer', credentials_file: o.tokenFile } } : {}),
    static_configs: [{ targets: [target], labels: { service, env: o.env ?? 'local' } }],
  });
  return stringify({
    global: {
      scrape_interval: o.scrapeInterval ?? '15s',
      scrape_timeout: o.scrapeInterval && parseInt(o.scrapeInterval, 10) < 10 ? o.scrapeInterval : '10s',
      evaluation_interval: o.evaluationInterval ?? '15s',
      external_labels: { monitor: 'car-dano-local' },
    },
    rule_files: o.ruleFiles ?? committedRuleFiles(),
    alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [o.alertmanager] }] }] },
    scrape_configs: [
      job('car-dano-api', o.api, 'api'),
      ...(o.worker ? [job('car-dano-worker', o.worker, 'worker')] : []),
    ],
  });
}

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

/** Every timing of a routing tree set to `t` (a test must not wait the production group_wait). */
function hurry(route: Route, t: string): void {
  for (const k of ['group_wait', 'group_interval', 'repeat_interval'] as const) if (route[k]) route[k] = t;
  for (const r of route.routes ?? []) hurry(r, t);
}

/**
 * alertmanager.yml for a local stack: ops/alertmanager/alertmanager.yml's routing tree and inhibitions with
 * every receiver keeping its name but sending to `webhookUrl` (or nowhere without one). `fast` shortens every
 * wait and interval to 1 s.
 */
export function localAlertmanagerConfig(o: { webhookUrl?: string; fast?: boolean }): string {
  const committed = parse(readFileSync(path.join(OPS_DIR, 'alertmanager/alertmanager.yml'), 'utf8')) as {
    route: Route & { group_wait?: string };
    receivers: Array<{ name: string }>;
    inhibit_rules?: unknown[];
    global?: Record<string, unknown>;
  };
  const route = structuredClone(committed.route);
  if (o.fast) {
    hurry(route, '1s');
    route.group_wait = '1s';
  }
  return stringify({
    global: { resolve_timeout: committed.global?.resolve_timeout ?? '5m' },
    route,
    inhibit_rules: committed.inhibit_rules ?? [],
    receivers: committed.receivers.map((r) => ({
      name: r.name,
      ...(o.webhookUrl ? { webhook_configs: [{ url: o.webhookUrl, send_resolved: true }] } : {}),
    })),
  });
}

/**
 * The committed alert rules with every `for:` set to `forDuration` (0s: an alert fires at its first true
 * evaluation). Only a test uses this: the expressions, labels and annotations are the committed ones.
 */
export function hurriedRules(file: string, forDuration: string): string {
  const doc = parse(readFileSync(file, 'utf8')) as {
    groups: Array<{ interval?: string; rules: Array<Record<string, unknown>> }>;
  };
  for (const g of doc.groups) {
    delete g.interval;
    for (const r of g.rules) if (r.alert && r.for) r.for = forDuration;
  }
  return stringify(doc);
}
