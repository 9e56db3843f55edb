/**
 * (a) API performance: traffic, errors and latency of the HTTP API per route template
 * (car_dano_http_request_duration_seconds), photo uploads and payment calls. Route labels are OpenAPI
 * templates (`/api/v1/inspections/{id}/approve`) or `unmatched`, never raw paths.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  app,
  dashboard,
  heatmapPanel,
  informational,
  lowerIsBetter,
  quantile,
  RATE,
  statPanel,
  sumRate,
  timeseriesPanel,
} from './lib.js';

const HTTP = 'car_dano_http_request_duration_seconds';
/** Health probes and the scrape itself: left out of latency figures (as the SLIs do, docs/slo.md). */
const SERVED = 'route!~"/api/v1/health/.*|/metrics"';

const errorRatio = (by: string): string =>
  `${sumRate(`${HTTP}_count`, app(`${SERVED},status_code=~"5.."`), by)}\n/\n${sumRate(`${HTTP}_count`, app(SERVED), by)}`;

export function apiDashboard(): Dashboard {
  return dashboard({
    uid: 'car-dano-api',
    title: 'CAR-dano / API performance',
    description:
      'HTTP API traffic, errors and latency per route template, photo uploads and payment gateway calls. Metrics: docs/metrics.md; SLOs: docs/slo.md.',
    tags: ['api'],
    variables: ['env', 'service'],
    sections: [
      {
        title: 'Overview',
        panels: [
          statPanel({
            title: 'Requests per second',
            description: 'All API requests (health probes and /metrics included), now.',
            unit: 'reqps',
            query: { expr: sumRate(`${HTTP}_count`, app()) },
            thresholds: informational(200),
          }),
          statPanel({
            title: '5xx share',
            description:
              'Share of requests answered 5xx (health probes and /metrics left out). The availability objective allows 0.1% over 30 days.',
            unit: 'percentunit',
            decimals: 2,
            query: { expr: errorRatio('') },
            thresholds: lowerIsBetter(0.001, 0.01),
          }),
          statPanel({
            title: 'p95 latency',
            description: '95th percentile of request duration (health probes and /metrics left out).',
            unit: 's',
            query: { expr: quantile(0.95, HTTP, app(SERVED)) },
            thresholds: lowerIsBetter(0.25, 0.5),
          }),
          statPanel({
            title: 'p99 latency',
            description: '99th percentile of request duration (health probes and /metrics left out).',
            unit: 's',
            query: { expr: quantile(0.99, HTTP, app(SERVED)) },
            thresholds: lowerIsBetter(0.5, 1),
          }),
          statPanel({
            title: 'GET under 500 ms (range)',
            description:
              'Share of non-5xx GET requests answered within 500 ms over the selected range (the read-latency SLI, file-serving routes included here).',
            unit: 'percentunit',
            decimals: 2,
            query: {
              expr: `sum(increase(${HTTP}_bucket${app(`method="GET",${SERVED},status_code!~"5..",le="0.5"`)}[$__range]))\n/\nsum(increase(${HTTP}_count${app(`method="GET",${SERVED},status_code!~"5.."`)}[$__range]))`,
            },
            thresholds: [
              [null, 'red'],
              [0.95, 'orange'],
              [0.99, 'green'],
            ],
          }),
          statPanel({
            title: 'Versions running',
            description:
              'Distinct car_dano_build_info versions: more than one outside a deploy means a partial deploy.',
            unit: 'none',
            query: { expr: 'count(count by (version) (car_dano_build_info{env=~"$env"}))' },
            thresholds: lowerIsBetter(2, 3),
          }),
        ],
      },
      {
        title: 'Traffic and errors',
        panels: [
          timeseriesPanel({
            title: 'Requests by status code',
            description: 'Request rate per HTTP status code.',
            unit: 'reqps',
            stack: true,
            queries: [{ expr: sumRate(`${HTTP}_count`, app(), 'status_code'), legend: '{{status_code}}' }],
          }),
          timeseriesPanel({
            title: 'Busiest routes',
            description: 'The ten routes with the highest request rate.',
            unit: 'reqps',
            queries: [
              { expr: `topk(10, ${sumRate(`${HTTP}_count`, app(), 'method, route')})`, legend: '{{method}} {{route}}' },
            ],
          }),
          timeseriesPanel({
            title: '5xx share by route',
            description: 'Share of each route’s requests answered 5xx. `unmatched` is any path outside the API.',
            unit: 'percentunit',
            min: 0,
            queries: [{ expr: errorRatio('method, route'), legend: '{{method}} {{route}}' }],
          }),
          timeseriesPanel({
            title: '4xx by route',
            description:
              'Client errors per route (validation, auth, not found): a jump often follows a client release.',
            unit: 'reqps',
            queries: [
              {
                expr: sumRate(`${HTTP}_count`, app('status_code=~"4.."'), 'method, route, status_code'),
                legend: '{{method}} {{route}} {{status_code}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Latency',
        panels: [
          timeseriesPanel({
            title: 'Latency percentiles',
            description: 'p50, p95 and p99 of request duration (health probes and /metrics left out).',
            unit: 's',
            min: 0,
            queries: [
              { expr: quantile(0.5, HTTP, app(SERVED)), legend: 'p50' },
              { expr: quantile(0.95, HTTP, app(SERVED)), legend: 'p95' },
              { expr: quantile(0.99, HTTP, app(SERVED)), legend: 'p99' },
            ],
            thresholdLines: [
              [null, 'transparent'],
              [0.5, 'red'],
            ],
          }),
          timeseriesPanel({
            title: 'Slowest routes (p95)',
            description: 'The ten routes with the highest 95th percentile duration.',
            unit: 's',
            min: 0,
            queries: [
              {
                expr: `topk(10, ${quantile(0.95, HTTP, app(SERVED), 'method, route')})`,
                legend: '{{method}} {{route}}',
              },
            ],
          }),
          heatmapPanel({
            title: 'Request duration distribution',
            description:
              'Requests per latency bucket over time (the histogram’s buckets: 5 ms to 10 s). Health probes and /metrics left out.',
            unit: 's',
            cellUnit: 'reqps',
            w: 24,
            expr: `sum by (le) (rate(${HTTP}_bucket${app(SERVED)}[${RATE}]))`,
          }),
        ],
      },
      {
        title: 'Photo uploads',
        panels: [
          timeseriesPanel({
            title: 'Photo uploads by kind and outcome',
            w: 16,
            description:
              '`rejected`: the client’s fault (4xx: type, size, count); `error`: ours (5xx: storage, processing).',
            unit: 'reqps',
            queries: [
              {
                expr: sumRate('car_dano_photo_uploads_total', app(), 'kind, outcome'),
                legend: '{{kind}} {{outcome}}',
              },
            ],
          }),
          statPanel({
            title: 'Upload errors (range)',
            description:
              'Share of uploads that failed on our side over the selected range (client 4xx left out). Objective: under 5%.',
            unit: 'percentunit',
            decimals: 2,
            w: 8,
            h: 8,
            query: {
              expr: `sum(increase(car_dano_photo_uploads_total${app('outcome="error"')}[$__range]))\n/\nsum(increase(car_dano_photo_uploads_total${app('outcome=~"success|error"')}[$__range]))`,
            },
            thresholds: lowerIsBetter(0.02, 0.05),
          }),
        ],
      },
      {
        title: 'Payments',
        panels: [
          timeseriesPanel({
            title: 'Invoices',
            description:
              'Invoices asked of the payment gateway, by purpose and outcome (`error`: the gateway call failed).',
            unit: 'reqps',
            queries: [
              {
                expr: sumRate('car_dano_payment_invoices_total', app(), 'purpose, outcome'),
                legend: '{{purpose}} {{outcome}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Gateway webhooks',
            description:
              'Payment callbacks by outcome. `duplicate` is normal (the gateway retries); `rejected`, `mismatch`, `unknown-invoice` and `error` need a look.',
            unit: 'reqps',
            queries: [{ expr: sumRate('car_dano_payment_webhooks_total', app(), 'outcome'), legend: '{{outcome}}' }],
          }),
        ],
      },
    ],
  });
}
