/**
 * Every dashboard of ops/grafana/dashboards/, as the generator renders it. scripts/dashboards/build.ts
 * writes (or, with --check, compares) these files; test/ops/dashboards.spec.ts checks them.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as prettier from 'prettier';
import { apiDashboard } from './api.js';
import { infraDashboard } from './infra.js';
import { sortKeys } from './lib.js';
import { logsDashboard } from './logs.js';
import { mintingDashboard } from './minting.js';
import { pipelineDashboard } from './pipeline.js';
import { sloDashboard } from './slo.js';

/** Where the generated JSON lives, relative to the repository root. */
export const DASHBOARD_DIR = 'ops/grafana/dashboards';

/** The dashboards, in menu order: (a) API, (b) report pipeline, (c) minting, (d) infrastructure, (e) SLOs, (f) logs. */
export function allDashboards(): Dashboard[] {
  return [apiDashboard(), pipelineDashboard(), mintingDashboard(), infraDashboard(), sloDashboard(), logsDashboard()];
}

/** One dashboard as committed: keys sorted, Prettier-formatted JSON (width 120), newline at the end. */
export async function renderDashboard(d: Dashboard): Promise<string> {
  const json = JSON.stringify(sortKeys(d), null, 2);
  return prettier.format(json, { parser: 'json', printWidth: 120, endOfLine: 'lf' });
}

/** File name (`<uid>.json`) → content, for every dashboard. */
export async function renderAll(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const d of allDashboards()) {
    if (!d.uid) throw new Error(`dashboard "${d.title}" has no uid`);
    const name = `${d.uid}.json`;
    if (files.has(name)) throw new Error(`two dashboards with uid ${d.uid}`);
    files.set(name, await renderDashboard(d));
  }
  return files;
}
