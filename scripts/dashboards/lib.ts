/**
 * Building blocks shared by the dashboard definitions (scripts/dashboards/*.ts): the Prometheus datasource
 * reference, the `env`/`service` template variables, label selectors, and panel factories (time series,
 * stat, heatmap) over @grafana/grafana-foundation-sdk's builders, plus the step that turns a built dashboard
 * into stable JSON (panel ids, query refIds, sorted keys, Prettier-formatted).
 *
 * Conventions every panel follows, checked by test/ops/dashboards.spec.ts:
 * - datasource uid `prometheus` (ops/grafana/provisioning/datasources/prometheus.yml) on the panel and on
 *   each query;
 * - a unit on every panel; thresholds (two steps or more) on every stat;
 * - rates over `$__rate_interval` (never a fixed `[5m]` that hides short spikes or breaks at long ranges);
 *   "over the selected range" figures use `$__range` in an instant query;
 * - only metric names that the app or a named exporter exposes (test/support/exposed-metrics.ts), or
 *   recording rules of ops/prometheus/rules/.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type Panel,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The provisioned Prometheus datasource (ops/grafana/provisioning/datasources/prometheus.yml). */
export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

/** Tag shared by every dashboard: the dashboards link to each other through it. */
export const TAG = 'car-dano';

/** Rate window: Grafana's `$__rate_interval` (at least four scrape intervals, see the datasource's timeInterval). */
export const RATE = '$__rate_interval';

/** Matchers of the app's series: the `env` and `service` variables, then `extra` (e.g. `queue="mint"`). */
export function app(extra = ''): string {
  return `{env=~"$env",service=~"$service"${extra ? `,${extra}` : ''}}`;
}

/** Matchers of series filtered by `env` only (exporters, recording rules, queue gauges). */
export function inEnv(extra = ''): string {
  return `{env=~"$env"${extra ? `,${extra}` : ''}}`;
}

/** `sum by (<by>) (rate(<series><selector>[$__rate_interval]))`; `by` empty = plain sum. */
export function sumRate(series: string, selector: string, by = ''): string {
  return `sum${by ? ` by (${by})` : ''} (rate(${series}${selector}[${RATE}]))`;
}

/** The q-quantile of a histogram, grouped by `by` (plus `le`), over `$__rate_interval`. */
export function quantile(q: number, histogram: string, selector: string, by = ''): string {
  const group = by ? `${by}, le` : 'le';
  return `histogram_quantile(${q}, sum by (${group}) (rate(${histogram}_bucket${selector}[${RATE}])))`;
}

/** Threshold steps: `[null, 'green']` first (the base), then `[value, colour]` in increasing value order. */
export type Steps = [number | null, string][];

/** Green below `warn`, orange from `warn`, red from `crit` (for "lower is better" figures). */
export function lowerIsBetter(warn: number, crit: number): Steps {
  return [
    [null, 'green'],
    [warn, 'orange'],
    [crit, 'red'],
  ];
}

/** Green below `value`, red from it (anything at all is a problem). */
export function redFrom(value: number): Steps {
  return [
    [null, 'green'],
    [value, 'red'],
  ];
}

/** Red below `warn`, orange from `warn`, green from `ok` (for "higher is better" figures). */
export function higherIsBetter(warn: number, ok: number): Steps {
  return [
    [null, 'red'],
    [warn, 'orange'],
    [ok, 'green'],
  ];
}

/** For informational figures: one colour plus an upper bound that deserves attention. */
export function informational(attention: number): Steps {
  return [
    [null, 'blue'],
    [attention, 'orange'],
  ];
}

export function thresholds(steps: Steps): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

/** Value → text/colour mapping (e.g. breaker state 0/1/2, up 0/1). */
export function valueText(map: Record<string, [string, string]>): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  Object.entries(map).forEach(([value, [text, color]], index) => (options[value] = { text, color, index }));
  return [{ type: MappingType.ValueToText, options }];
}

/** Circuit breaker states as car_dano_breaker_state encodes them. */
export const BREAKER_STATES = valueText({
  '0': ['closed', 'green'],
  '1': ['half-open', 'orange'],
  '2': ['open', 'red'],
});

export interface Query {
  expr: string;
  /** Legend, e.g. `{{route}}`; defaults to Grafana's (the series labels). */
  legend?: string;
}

function target(q: Query, kind: 'range' | 'instant' | 'heatmap'): DataqueryBuilder {
  const b = new DataqueryBuilder().datasource(DATASOURCE).expr(q.expr);
  if (q.legend) b.legendFormat(q.legend);
  if (kind === 'instant') b.instant();
  if (kind === 'heatmap') b.format(PromQueryFormat.Heatmap).legendFormat('{{le}}');
  return b;
}

interface PanelCommon {
  title: string;
  /** What the panel shows and what to do about it: shown as the panel's (i) tooltip. */
  description: string;
  unit: string;
  /** Grid width (24 = full row) and height. */
  w?: number;
  h?: number;
}

export interface TimeseriesOptions extends PanelCommon {
  queries: Query[];
  min?: number;
  max?: number;
  /** Stack the series (parts of a whole: requests by status, jobs by state). */
  stack?: boolean;
  /** Drawn as dashed lines (e.g. burn-rate alert thresholds). */
  thresholdLines?: Steps;
  mappings?: ValueMapping[];
}

/** The look every time series shares (Prometheus or Loki): size, lines, legend below, tooltip of all series. */
export function baseTimeseries(o: {
  title: string;
  description: string;
  unit: string;
  w?: number;
  h?: number;
  stack?: boolean;
  datasource: { type: string; uid: string };
}): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(o.datasource)
    .unit(o.unit)
    .span(o.w ?? 12)
    .height(o.h ?? 8)
    .lineWidth(1)
    .fillOpacity(o.stack ? 30 : 10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
    );
}

export function timeseriesPanel(o: TimeseriesOptions): timeseries.PanelBuilder {
  const b = baseTimeseries({ ...o, datasource: DATASOURCE }).targets(o.queries.map((q) => target(q, 'range')));
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (o.mappings) b.mappings(o.mappings);
  if (o.thresholdLines) {
    b.thresholds(thresholds(o.thresholdLines)).thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
  }
  return b;
}

export interface StatOptions extends PanelCommon {
  /** Evaluated as an instant query at the end of the range. */
  query: Query;
  thresholds: Steps;
  decimals?: number;
  mappings?: ValueMapping[];
  /** Shown when the query returns nothing (e.g. "0" for a count that has no series yet). */
  noValue?: string;
}

/** The look every stat shares (Prometheus or Loki): one number, coloured by its thresholds, no sparkline. */
export function baseStat(o: {
  title: string;
  description: string;
  unit: string;
  w: number;
  h?: number;
  thresholds: Steps;
  datasource: { type: string; uid: string };
}): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(o.datasource)
    .unit(o.unit)
    .span(o.w)
    .height(o.h ?? 4)
    .thresholds(thresholds(o.thresholds))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export function statPanel(o: StatOptions): stat.PanelBuilder {
  const b = baseStat({ ...o, w: o.w ?? 4, datasource: DATASOURCE }).withTarget(target(o.query, 'instant'));
  if (o.decimals !== undefined) b.decimals(o.decimals);
  if (o.mappings) b.mappings(o.mappings);
  if (o.noValue !== undefined) b.noValue(o.noValue);
  return b;
}

export interface HeatmapOptions extends PanelCommon {
  /** Bucket rates summed by `le`: `sum by (le) (rate(<histogram>_bucket{...}[$__rate_interval]))`. */
  expr: string;
  /** Unit of a cell (observations per second): `reqps` for requests, `ops` (default) for anything else. */
  cellUnit?: string;
}

/** A histogram's buckets over time (Prometheus `format: heatmap`, no recalculation by Grafana); `unit` is the y axis'. */
export function heatmapPanel(o: HeatmapOptions): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .span(o.w ?? 12)
    .height(o.h ?? 8)
    .unit(o.cellUnit ?? 'ops')
    .calculate(false)
    .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Le))
    .yAxis(new heatmap.YAxisConfigBuilder().unit(o.unit))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Spectral')
        .scale(heatmap.HeatmapColorScale.Exponential)
        .exponent(0.5)
        .fill('dark-orange')
        .steps(64),
    )
    .cellValues(new heatmap.CellValuesBuilder().unit(o.cellUnit ?? 'ops'))
    .showLegend()
    .withTarget(target({ expr: o.expr }, 'heatmap'));
}

export type Variable = 'env' | 'service';

function variable(name: Variable): QueryVariableBuilder {
  if (name === 'env') {
    const query = 'label_values(up, env)';
    return new QueryVariableBuilder('env')
      .label('Environment')
      .description('The `env` label set by the scrape configuration (ops/prometheus/prometheus.yml).')
      .datasource(DATASOURCE)
      .query(query)
      .definition(query)
      .refresh(VariableRefresh.OnDashboardLoad)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(false)
      .includeAll(false);
  }
  const query = 'label_values(car_dano_build_info{env=~"$env"}, service)';
  return new QueryVariableBuilder('service')
    .label('Service')
    .description('api (npm start) and/or worker (npm run worker): the `service` label set by the scrape configuration.')
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

export interface Section {
  /** Row title. */
  title: string;
  panels: cog.Builder<Panel>[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: Variable[];
  sections: Section[];
  /** Default time range (`now-<from>` to now). */
  from?: string;
}

/** A dashboard from its sections: one row each, panels laid out left to right by the SDK. */
export function dashboard(spec: DashboardSpec): Dashboard {
  const b = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG, ...spec.tags])
    .readonly()
    .timezone('browser')
    .time({ from: `now-${spec.from ?? '6h'}`, to: 'now' })
    .refresh('1m')
    .tooltip(DashboardCursorSync.Crosshair)
    .link(
      new DashboardLinkBuilder('CAR-dano dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
  for (const v of spec.variables) b.withVariable(variable(v));
  for (const section of spec.sections) {
    b.withRow(new RowBuilder(section.title));
    for (const p of section.panels) b.withPanel(p);
  }
  return finalize(b.build());
}

/** Panel ids 1..n in order, query refIds A, B, ... per panel: Grafana needs both unique, and diffs stay stable. */
function finalize(d: Dashboard): Dashboard {
  let id = 0;
  for (const p of d.panels ?? []) {
    p.id = ++id;
    const targets = 'targets' in p ? ((p as Panel).targets ?? []) : [];
    targets.forEach((t, i) => ((t as { refId?: string }).refId = String.fromCharCode(65 + i)));
  }
  return d;
}

/** A copy with object keys sorted (arrays keep their order), functions and undefined dropped. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
