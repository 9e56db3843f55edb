/**
 * (b) Report pipeline: from an approval to the stored report. The report queue (car_dano_queue_jobs,
 * queue="report"), job attempts and errors (car_dano_job_*, queue="report-render"), the four stages of a
 * report job (render, store, ipfs, record), PDF sizes, approval → stored report durations
 * (car_dano_pipeline_duration_seconds{pipeline="report"}) and the dependencies the stages call (object
 * storage, IPFS, the renderer's breaker).
 *
 * Label values: the queue gauges say `queue="report"`, the job counters and the stage histogram say
 * `queue="report-render"` (the pg-boss queue's name, src/adapters/queue/pg-boss-bus.ts).
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  app,
  BREAKER_STATES,
  dashboard,
  heatmapPanel,
  higherIsBetter,
  lowerIsBetter,
  quantile,
  RATE,
  statPanel,
  sumRate,
  timeseriesPanel,
} from './lib.js';

const JOB = 'queue="report-render"';
const STAGES = 'car_dano_job_stage_duration_seconds';
const PIPELINE = 'car_dano_pipeline_duration_seconds';
const PDF = 'car_dano_report_pdf_size_bytes';
const MiB = 1024 * 1024;

const queueState = (state: string): string => `max(car_dano_queue_jobs${app(`queue="report",state="${state}"`)})`;

export function pipelineDashboard(): Dashboard {
  return dashboard({
    uid: 'car-dano-pipeline',
    title: 'CAR-dano / Report pipeline',
    description:
      'Approval → stored report: the report queue, attempts and error codes, stage durations (render, with its compress and stamp parts, store, ipfs, record), PDF sizes, end-to-end durations, object storage and IPFS.',
    tags: ['pipeline', 'worker'],
    variables: ['env', 'service'],
    sections: [
      {
        title: 'Report queue',
        panels: [
          statPanel({
            title: 'Queued',
            description: 'Report jobs waiting for a worker. Alert ReportQueueBacklog at 200.',
            unit: 'none',
            query: { expr: queueState('QUEUED') },
            thresholds: lowerIsBetter(50, 200),
          }),
          statPanel({
            title: 'Running',
            description: 'Report jobs being rendered now.',
            unit: 'none',
            query: { expr: queueState('RUNNING') },
            thresholds: lowerIsBetter(10, 50),
          }),
          statPanel({
            title: 'Failed (in table)',
            description: 'Report jobs FAILED for good and still in the table: each is an approval without a report.',
            unit: 'none',
            query: { expr: queueState('FAILED') },
            thresholds: lowerIsBetter(1, 10),
          }),
          statPanel({
            title: 'Oldest queued job',
            description:
              'Age of the oldest job waiting to run. Alert ReportQueueOldestJobAge at 10 min (warning) and 30 min.',
            unit: 's',
            query: { expr: `max(car_dano_queue_oldest_age_seconds${app('queue="report"')})` },
            thresholds: lowerIsBetter(600, 1800),
          }),
          statPanel({
            title: 'Reports stored within 10 min (range)',
            description:
              'Share of successful report pipelines that ended within 10 min of approval, over the selected range (objective 99%).',
            unit: 'percentunit',
            decimals: 2,
            query: {
              expr: `sum(increase(${PIPELINE}_bucket${app('pipeline="report",outcome="success",le="600"')}[$__range]))\n/\nsum(increase(${PIPELINE}_count${app('pipeline="report",outcome="success"')}[$__range]))`,
            },
            thresholds: higherIsBetter(0.95, 0.99),
          }),
          statPanel({
            title: 'Pipelines failed (range)',
            description: 'Approvals whose report pipeline ended FAILED over the selected range.',
            unit: 'none',
            query: { expr: `sum(increase(${PIPELINE}_count${app('pipeline="report",outcome="failure"')}[$__range]))` },
            thresholds: lowerIsBetter(1, 5),
            noValue: '0',
          }),
          timeseriesPanel({
            title: 'Report jobs by state',
            description: 'Jobs per state as the database sees them (max over api and worker: both publish the gauge).',
            unit: 'none',
            w: 24,
            queries: [{ expr: `max by (state) (car_dano_queue_jobs${app('queue="report"')})`, legend: '{{state}}' }],
          }),
        ],
      },
      {
        title: 'Attempts and errors',
        panels: [
          timeseriesPanel({
            title: 'Attempts by outcome',
            description: '`done` succeeded, `retry` failed and will be retried, `failed` failed for good (per minute).',
            unit: 'opm',
            stack: true,
            queries: [
              { expr: `60 * ${sumRate('car_dano_job_attempts_total', app(JOB), 'outcome')}`, legend: '{{outcome}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Errors by code',
            description:
              'Failed attempts by stable error code (REPORT.TOO_LARGE, RENDER.QUALITY_GATE, STORAGE.TIMEOUT...), per minute. Runbooks: docs/runbooks/.',
            unit: 'opm',
            queries: [{ expr: `60 * ${sumRate('car_dano_job_errors_total', app(JOB), 'code')}`, legend: '{{code}}' }],
          }),
        ],
      },
      {
        title: 'Stages (render, store, ipfs, record)',
        panels: [
          timeseriesPanel({
            title: 'Stage duration p95',
            description: '95th percentile of each stage of a report job.',
            unit: 's',
            min: 0,
            queries: [{ expr: quantile(0.95, STAGES, app(JOB), 'stage'), legend: '{{stage}}' }],
          }),
          timeseriesPanel({
            title: 'Stage duration mean',
            description: 'Mean time per stage: where a report job spends its time.',
            unit: 's',
            min: 0,
            stack: true,
            queries: [
              {
                expr: `${sumRate(`${STAGES}_sum`, app(JOB), 'stage')}\n/\n${sumRate(`${STAGES}_count`, app(JOB), 'stage')}`,
                legend: '{{stage}}',
              },
            ],
          }),
          heatmapPanel({
            title: 'Render stage duration distribution',
            description: 'Render durations per bucket (50 ms to 10 min): Chromium printing the report pages to PDF.',
            unit: 's',
            expr: `sum by (le) (rate(${STAGES}_bucket${app(`${JOB},stage="render"`)}[${RATE}]))`,
          }),
          heatmapPanel({
            title: 'Store stage duration distribution',
            description: 'Store durations per bucket: uploading the PDFs to object storage.',
            unit: 's',
            expr: `sum by (le) (rate(${STAGES}_bucket${app(`${JOB},stage="store"`)}[${RATE}]))`,
          }),
        ],
      },
      {
        title: 'PDF sizes',
        panels: [
          timeseriesPanel({
            title: 'PDF size p50 / p95 by variant',
            description:
              'Size of the stored PDFs (after size control). `full` carries the documents, `no_docs` does not.',
            unit: 'bytes',
            min: 0,
            queries: [
              { expr: quantile(0.5, PDF, app(), 'variant'), legend: 'p50 {{variant}}' },
              { expr: quantile(0.95, PDF, app(), 'variant'), legend: 'p95 {{variant}}' },
            ],
            thresholdLines: [
              [null, 'transparent'],
              [100 * MiB, 'red'],
            ],
          }),
          heatmapPanel({
            title: 'PDF size distribution (full)',
            description: 'Full-report PDFs per size bucket (256 KiB to 100 MiB; 100 MiB = PDF_MAX_SIZE_MB).',
            unit: 'bytes',
            w: 8,
            expr: `sum by (le) (rate(${PDF}_bucket${app('variant="full"')}[${RATE}]))`,
          }),
          statPanel({
            title: 'Largest p95 PDF (range)',
            description:
              'p95 of the full PDF size over the selected range. Jobs fail with REPORT.TOO_LARGE above 100 MiB.',
            unit: 'bytes',
            w: 4,
            h: 8,
            query: {
              expr: `histogram_quantile(0.95, sum by (le) (increase(${PDF}_bucket${app('variant="full"')}[$__range])))`,
            },
            thresholds: lowerIsBetter(50 * MiB, 90 * MiB),
          }),
        ],
      },
      {
        title: 'Approval → stored report',
        panels: [
          timeseriesPanel({
            title: 'Approval → report p50 / p95',
            description:
              'From the approval to the stored report, for pipelines that succeeded. Objective: 99% within 10 min.',
            unit: 's',
            min: 0,
            queries: [
              { expr: quantile(0.5, PIPELINE, app('pipeline="report",outcome="success"')), legend: 'p50' },
              { expr: quantile(0.95, PIPELINE, app('pipeline="report",outcome="success"')), legend: 'p95' },
            ],
            thresholdLines: [
              [null, 'transparent'],
              [600, 'red'],
            ],
          }),
          heatmapPanel({
            title: 'Approval → report distribution',
            description: 'Successful report pipelines per duration bucket (1 s to 1 h).',
            unit: 's',
            expr: `sum by (le) (rate(${PIPELINE}_bucket${app('pipeline="report",outcome="success"')}[${RATE}]))`,
          }),
        ],
      },
      {
        title: 'Object storage and IPFS',
        panels: [
          timeseriesPanel({
            title: 'Storage calls by operation and outcome',
            description: 'Object storage (S3 or file system) calls.',
            unit: 'ops',
            queries: [
              {
                expr: sumRate('car_dano_storage_operations_total', app(), 'operation, outcome'),
                legend: '{{operation}} {{outcome}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Storage errors by category',
            description: 'Failed storage calls by category (network, timeout, auth, quota, not_found, other).',
            unit: 'ops',
            queries: [
              {
                expr: sumRate('car_dano_storage_operations_total', app('outcome="error"'), 'operation, error_category'),
                legend: '{{operation}} {{error_category}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Storage call p95 by operation',
            description: '95th percentile of storage call duration.',
            unit: 's',
            min: 0,
            w: 8,
            queries: [
              {
                expr: quantile(0.95, 'car_dano_storage_operation_duration_seconds', app(), 'operation'),
                legend: '{{operation}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Bytes stored',
            description: 'Bytes written to object storage (PDFs and photos).',
            unit: 'Bps',
            w: 8,
            queries: [{ expr: sumRate('car_dano_storage_bytes_total', app('operation="put"')), legend: 'put' }],
          }),
          timeseriesPanel({
            title: 'Breakers: storage, renderer, IPFS',
            description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open (calls refused).',
            unit: 'none',
            w: 8,
            min: 0,
            max: 2,
            mappings: BREAKER_STATES,
            queries: [
              {
                expr: `max by (breaker) (car_dano_breaker_state${app('breaker=~"storage|renderer|ipfs"')})`,
                legend: '{{breaker}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'IPFS calls by operation and outcome',
            description: 'Kubo RPC calls (add, cat, pin_check, unpin).',
            unit: 'ops',
            queries: [
              {
                expr: sumRate('car_dano_ipfs_operations_total', app(), 'operation, outcome'),
                legend: '{{operation}} {{outcome}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'IPFS call p95 by operation',
            description: '95th percentile of IPFS call duration.',
            unit: 's',
            min: 0,
            queries: [
              {
                expr: quantile(0.95, 'car_dano_ipfs_operation_duration_seconds', app(), 'operation'),
                legend: '{{operation}}',
              },
            ],
          }),
        ],
      },
    ],
  });
}
