/**
 * (e) SLO overview: for each SLO of docs/slo.md, the error budget left over 30 days, the SLI over 30 days
 * and the burn rates of the windows the burn-rate alerts use. Everything reads the recording rules of
 * ops/prometheus/rules/recording.yml (`car_dano:sli_<slo>:error_ratio_rate<window>` and
 * `car_dano:slo_<slo>:error_budget_remaining_ratio30d`), which keep the `env` label only: this dashboard
 * has no `service` variable.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, inEnv, statPanel, timeseriesPanel, type Section } from './lib.js';

export interface Slo {
  /** Name in the recording rules (`api_availability`). */
  id: string;
  title: string;
  /** Objective over 30 days, e.g. 0.999; the error budget is 1 - objective. */
  objective: number;
  /** What a bad event is. */
  bad: string;
}

/** The SLOs of docs/slo.md; the test checks each objective against the recording rule's error budget. */
export const SLOS: Slo[] = [
  { id: 'api_availability', title: 'API availability', objective: 0.999, bad: 'API responses that are 5xx' },
  { id: 'api_read_latency', title: 'API read latency', objective: 0.99, bad: 'GET responses slower than 500 ms' },
  { id: 'report_success', title: 'Report success', objective: 0.99, bad: 'report pipelines that end FAILED' },
  {
    id: 'report_latency',
    title: 'Report latency',
    objective: 0.99,
    bad: 'reports stored more than 10 min after approval',
  },
  { id: 'archive_success', title: 'Archive success', objective: 0.99, bad: 'mint pipelines that end FAILED' },
  {
    id: 'archive_latency',
    title: 'Archive latency',
    objective: 0.95,
    bad: 'NFTs confirmed more than 30 min after approval',
  },
  { id: 'photo_upload', title: 'Photo upload', objective: 0.95, bad: 'photo uploads failing on our side (5xx)' },
  {
    id: 'verification_availability',
    title: 'Public verification',
    objective: 0.995,
    bad: 'POST /api/v1/public/verify responses that are 5xx',
  },
];

/** The windows the burn-rate alerts combine (page: 1h/6h, ticket: 1d/3d) and the burn rates they fire at. */
const BURN_WINDOWS = ['1h', '6h', '1d', '3d'];

const budget = (slo: Slo): string => String(Number((1 - slo.objective).toFixed(6)));
const percent = (x: number): string => `${Number((x * 100).toFixed(3))}%`;

function budgetSection(): Section {
  return {
    title: 'Error budget left (30 days)',
    panels: SLOS.map((slo) =>
      statPanel({
        title: slo.title,
        description: `Share of the 30-day error budget (${percent(1 - slo.objective)} of events may be ${slo.bad}) not yet spent. 1 = untouched, 0 = spent, below 0 = objective missed.`,
        unit: 'percentunit',
        w: 3,
        h: 5,
        decimals: 1,
        query: { expr: `car_dano:slo_${slo.id}:error_budget_remaining_ratio30d${inEnv()}` },
        thresholds: [
          [null, 'red'],
          [0, 'orange'],
          [0.25, 'yellow'],
          [0.5, 'green'],
        ],
      }),
    ),
  };
}

function sliSection(): Section {
  return {
    title: 'SLI over 30 days',
    panels: SLOS.map((slo) =>
      statPanel({
        title: `${slo.title} (objective ${percent(slo.objective)})`,
        description: `Good events / valid events over the last 30 days. Bad events: ${slo.bad}.`,
        unit: 'percentunit',
        w: 3,
        h: 5,
        decimals: 3,
        query: { expr: `1 - car_dano:sli_${slo.id}:error_ratio_rate30d${inEnv()}` },
        thresholds: [
          [null, 'red'],
          [slo.objective, 'green'],
        ],
      }),
    ),
  };
}

function burnSection(): Section {
  return {
    title: 'Burn rates',
    panels: SLOS.map((slo) =>
      timeseriesPanel({
        title: `${slo.title}: burn rate`,
        description: `Error ratio divided by the error budget (${budget(slo)}): 1 spends the budget in exactly 30 days. Alerts page at 14.4 (1h) or 6 (6h) and open a ticket at 3 (1d) or 1 (3d), each confirmed by a shorter window.`,
        unit: 'none',
        min: 0,
        queries: BURN_WINDOWS.map((w) => ({
          expr: `car_dano:sli_${slo.id}:error_ratio_rate${w}${inEnv()} / ${budget(slo)}`,
          legend: w,
        })),
        thresholdLines: [
          [null, 'transparent'],
          [1, 'yellow'],
          [6, 'orange'],
          [14.4, 'red'],
        ],
      }),
    ),
  };
}

export function sloDashboard(): Dashboard {
  return dashboard({
    uid: 'car-dano-slo',
    title: 'CAR-dano / SLO overview',
    description:
      'Error budgets, 30-day SLIs and burn rates of every SLO in docs/slo.md, from the recording rules in ops/prometheus/rules/recording.yml.',
    tags: ['slo'],
    variables: ['env'],
    from: '7d',
    sections: [budgetSection(), sliSection(), burnSection()],
  });
}
