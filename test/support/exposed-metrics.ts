/**
 * The metric names the app really exposes on /metrics (API and worker share one set of collectors), read from
 * a production container's registry after every lazily built collector has been resolved, plus the metrics
 * of the exporters an operator runs next to it (ops/prometheus/exporters.json). Rules and dashboards may only
 * query these: a test compares every expression against this set.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, buildContainer } from '../../src/main/container.js';
import { Tokens } from '../../src/main/tokens.js';
import { Ipfs } from '../../src/ports/ipfs.js';
import { JobTelemetry } from '../../src/ports/job-telemetry.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { PaymentTelemetry } from '../../src/ports/payment-telemetry.js';
import { testConfig } from './config.js';
import { memoryLogger } from './logs.js';

/** The series names of one metric family as Prometheus stores them (histograms: _bucket, _sum, _count). */
function seriesNames(name: string, type: string): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/** Every series name on the app's /metrics. */
export async function appMetricNames(): Promise<Set<string>> {
  const container = buildContainer({ config: testConfig(), logger: memoryLogger().logger });
  for (const id of [JobTelemetry, ObjectStorage, Ipfs, PaymentTelemetry]) container.get(id as symbol);
  const registry = container.get(Tokens.Metrics).registry;
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) for (const n of seriesNames(m.name, String(m.type))) names.add(n);
  return names;
}

/** The exporters' metrics by exporter (postgres_exporter, redis_exporter, node_exporter) plus Prometheus's own. */
export function exporterMetricNames(): Map<string, string[]> {
  const file = path.join(PROJECT_ROOT, 'ops/prometheus/exporters.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { metrics: string[] }>;
  return new Map(Object.entries(parsed).map(([exporter, e]) => [exporter, e.metrics]));
}

/** The app's and the exporters' metrics together: what a rule or a panel may reference. */
export async function knownMetricNames(): Promise<Set<string>> {
  const names = await appMetricNames();
  for (const list of exporterMetricNames().values()) for (const n of list) names.add(n);
  return names;
}
