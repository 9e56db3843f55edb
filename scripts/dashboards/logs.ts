/**
 * (f) Logs: the API's metrics next to the log lines behind them (Loki datasource uid `loki`,
 * ops/grafana/provisioning/datasources/loki.yml). Top rows are Prometheus (what is wrong), the rows below are
 * LogQL over the same `env`/`service` (which requests, which codes, which lines). Loki labels are only app,
 * env, service and level (ops/loki/alloy/config.alloy); everything else comes from `| json` in the query.
 * Every LogQL expression is parsed by test/ops/loki.spec.ts (@grafana/lezer-logql).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder as LokiQuery, LokiQueryType } from '@grafana/grafana-foundation-sdk/loki';
import {
  app,
  baseStat,
  baseTimeseries,
  BREAKER_STATES,
  dashboard,
  lowerIsBetter,
  redFrom,
  sumRate,
  timeseriesPanel,
  type Steps,
} from './lib.js';

/** The provisioned Loki datasource (ops/grafana/provisioning/datasources/loki.yml). */
export const LOKI = { type: 'loki', uid: 'loki' } as const;

const HTTP = 'car_dano_http_request_duration_seconds';

/** The app's streams in the selected env and services, plus `extra` label matchers (only app/env/service/level exist). */
export function streams(extra = ''): string {
  return `{app="car-dano", env=~"$env", service=~"$service"${extra ? `, ${extra}` : ''}}`;
}

/** Access lines (LOG_LEVEL=http) of the API, parsed. */
const ACCESS = `${streams('level="http"')} | json`;
/** The approve and bulk-approve routes, as route templates in the access lines. */
const APPROVE_ROUTES = 'route=~"/api/v1/inspections/[{]id[}]/approve|/api/v1/inspections/bulk-approve"';
const FAILED_APPROVALS = `${streams('level="http"')} |= "approve" | json | ${APPROVE_ROUTES} and status >= 400`;

function lokiTarget(expr: string, legend?: string, instant = false): LokiQuery {
  const b = new LokiQuery()
    .datasource(LOKI)
    .expr(expr)
    .queryType(instant ? LokiQueryType.Instant : LokiQueryType.Range);
  if (legend) b.legendFormat(legend);
  return b;
}

interface LokiPanel {
  title: string;
  description: string;
  w?: number;
  h?: number;
}

/** A LogQL metric query over time (counts per `$__auto` step). */
function lokiTimeseries(
  o: LokiPanel & { unit: string; queries: { expr: string; legend?: string }[]; stack?: boolean },
) {
  const b = baseTimeseries({ ...o, datasource: LOKI }).targets(o.queries.map((q) => lokiTarget(q.expr, q.legend)));
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return b;
}

/** A LogQL count over the selected range, as one number. */
function lokiStat(o: LokiPanel & { unit: string; expr: string; thresholds: Steps }) {
  return baseStat({ ...o, w: o.w ?? 6, datasource: LOKI })
    .noValue('0')
    .withTarget(lokiTarget(o.expr, undefined, true));
}

/** The log lines themselves, newest first, with details (fields of the JSON) on click. */
function logLines(o: LokiPanel & { expr: string }) {
  return new logs.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(LOKI)
    .span(o.w ?? 24)
    .height(o.h ?? 10)
    .showTime(true)
    .showLabels(false)
    .showCommonLabels(false)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None)
    .withTarget(lokiTarget(o.expr).maxLines(500));
}

export function logsDashboard(): Dashboard {
  return dashboard({
    uid: 'car-dano-logs',
    title: 'CAR-dano / Logs',
    description:
      'Metrics and the log lines behind them: 5xx, failed approvals, error codes, breakers, CHAIN.UTXO_BUSY. Loki labels: app, env, service, level only; ids via | json. Docs: docs/observability.md, docs/runbooks/logs.md.',
    tags: ['logs'],
    variables: ['env', 'service'],
    from: '3h',
    sections: [
      {
        title: 'Metrics (Prometheus)',
        panels: [
          timeseriesPanel({
            title: 'Requests by status code',
            description:
              'Requests per second by status code (metrics). The log rows below show the requests themselves.',
            unit: 'reqps',
            stack: true,
            queries: [{ expr: sumRate(`${HTTP}_count`, app(), 'status_code'), legend: '{{status_code}}' }],
          }),
          timeseriesPanel({
            title: 'Circuit breakers',
            description:
              'Breaker state per breaker (0 closed, 1 half-open, 2 open). Openings are also logged (warn lines below).',
            unit: 'none',
            min: 0,
            max: 2,
            mappings: BREAKER_STATES,
            queries: [{ expr: `max by (breaker) (car_dano_breaker_state${app()})`, legend: '{{breaker}}' }],
          }),
        ],
      },
      {
        title: 'Log counts (Loki)',
        panels: [
          lokiStat({
            title: 'Failed approvals',
            description:
              'Approve / bulk-approve requests answered 4xx or 5xx over the selected range (access lines). Alert: ApprovalFailuresBurst.',
            unit: 'short',
            expr: `sum(count_over_time(${FAILED_APPROVALS} [$__range]))`,
            thresholds: lowerIsBetter(1, 10),
          }),
          lokiStat({
            title: '5xx answers',
            description:
              'Requests answered 5xx over the selected range, from the access lines. Alert: ApiServerErrorsBurst.',
            unit: 'short',
            expr: `sum(count_over_time(${ACCESS} | status >= 500 [$__range]))`,
            thresholds: redFrom(1),
          }),
          lokiStat({
            title: 'CHAIN.UTXO_BUSY',
            description: 'Mint attempts that hit busy UTXOs over the selected range. Alert: ChainUtxoBusyBurst.',
            unit: 'short',
            expr: `sum(count_over_time(${streams()} |= "CHAIN.UTXO_BUSY" | json | code="CHAIN.UTXO_BUSY" [$__range]))`,
            thresholds: lowerIsBetter(1, 10),
          }),
          lokiStat({
            title: 'Breaker openings',
            description:
              'Circuit breakers that opened over the selected range (warn lines). Alert: BreakerOpenedInLogs.',
            unit: 'short',
            expr: `sum(count_over_time(${streams('level="warn"')} |= "circuit breaker open" | json | message="circuit breaker open" [$__range]))`,
            thresholds: redFrom(1),
          }),
          lokiTimeseries({
            title: 'Log lines by level',
            description: 'Lines per step by level (ingestion volume too: sizing in docs/runbooks/logs.md).',
            unit: 'short',
            stack: true,
            queries: [{ expr: `sum by (level) (count_over_time(${streams()} [$__auto]))`, legend: '{{level}}' }],
          }),
          lokiTimeseries({
            title: '5xx by route (access lines)',
            description: 'Requests answered 5xx per route template and status, per step.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (route, status) (count_over_time(${ACCESS} | status >= 500 [$__auto]))`,
                legend: '{{route}} {{status}}',
              },
            ],
          }),
          lokiTimeseries({
            title: 'Warn and error lines by code',
            description: 'Warn/error lines per stable error code (the problem+json and job error codes).',
            unit: 'short',
            w: 24,
            queries: [
              {
                expr: `sum by (code) (count_over_time(${streams('level=~"warn|error"')} | json | code != "" [$__auto]))`,
                legend: '{{code}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Log lines (Loki)',
        panels: [
          logLines({
            title: 'Errors',
            description:
              'Error lines (unhandled errors carry the stack and the requestId; click a line for its fields).',
            expr: `${streams('level="error"')} | json`,
          }),
          logLines({
            title: 'Failed approvals',
            description:
              'Access lines of failed approvals: status, user, request id; search the request id for its other lines.',
            expr: `${FAILED_APPROVALS} | line_format "{{.status}} {{.method}} {{.path}} user={{.userId}} req={{.requestId}} {{.durationMs}}ms"`,
          }),
          logLines({
            title: 'Warnings',
            description: 'Warn lines (retries, breakers, paused queues) with their code.',
            expr: `${streams('level="warn"')} | json`,
          }),
        ],
      },
    ],
  });
}
