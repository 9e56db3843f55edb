/**
 * (c) Minting and chain: one Cardano NFT per report. Mint jobs per state (car_dano_mint_jobs), the oldest
 * SUBMITTED transaction waiting for confirmation, submissions (submitted, confirmed, failed, resubmitted),
 * mint errors by category, the mint stages (build, submit, confirm), approval → confirmed NFT durations
 * (car_dano_pipeline_duration_seconds{pipeline="archive"}) and the chain provider's breakers.
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
  redFrom,
  statPanel,
  sumRate,
  timeseriesPanel,
} from './lib.js';

const MINT = 'queue="mint"';
const PIPELINE = 'car_dano_pipeline_duration_seconds';
const ARCHIVED = 'pipeline="archive",outcome="success"';
/** Categories that retrying does not fix (alert MintFatalErrors). */
const FATAL = 'category=~"insufficient_funds|invalid_witness"';

const mintState = (state: string): string => `max(car_dano_mint_jobs${app(`state="${state}"`)})`;

export function mintingDashboard(): Dashboard {
  return dashboard({
    uid: 'car-dano-minting',
    title: 'CAR-dano / Minting and chain',
    description:
      'Cardano NFT minting: mint jobs, submissions and confirmations, error categories, stage durations, approval → NFT durations and the chain provider breakers.',
    tags: ['minting', 'chain', 'worker'],
    variables: ['env', 'service'],
    sections: [
      {
        title: 'Mint jobs',
        panels: [
          statPanel({
            title: 'Queued',
            description: 'Mint jobs waiting to be built and submitted. Alert MintQueueBacklog at 100.',
            unit: 'none',
            query: { expr: mintState('QUEUED') },
            thresholds: lowerIsBetter(25, 100),
          }),
          statPanel({
            title: 'Submitted, unconfirmed',
            description: 'Transactions on their way into a block.',
            unit: 'none',
            query: { expr: mintState('SUBMITTED') },
            thresholds: lowerIsBetter(20, 100),
          }),
          statPanel({
            title: 'Failed (in table)',
            description: 'Mint jobs FAILED for good: each is a report without its NFT.',
            unit: 'none',
            query: { expr: mintState('FAILED') },
            thresholds: lowerIsBetter(1, 10),
          }),
          statPanel({
            title: 'Oldest unconfirmed',
            description: 'How long the oldest SUBMITTED transaction has waited. Alert MintStuckSubmitted at 10 min.',
            unit: 's',
            query: { expr: `max(car_dano_mint_oldest_submitted_age_seconds${app()})` },
            thresholds: lowerIsBetter(300, 600),
          }),
          statPanel({
            title: 'Oldest queued',
            description: 'Age of the oldest mint job waiting to run. Alert MintQueueOldestJobAge at 30 min and 1 h.',
            unit: 's',
            query: { expr: `max(car_dano_queue_oldest_age_seconds${app(MINT)})` },
            thresholds: lowerIsBetter(1800, 3600),
          }),
          statPanel({
            title: 'NFTs within 30 min (range)',
            description:
              'Share of archived inspections whose NFT was confirmed within 30 min of approval, over the selected range (objective 95%).',
            unit: 'percentunit',
            decimals: 2,
            query: {
              expr: `sum(increase(${PIPELINE}_bucket${app(`${ARCHIVED},le="1800"`)}[$__range]))\n/\nsum(increase(${PIPELINE}_count${app(ARCHIVED)}[$__range]))`,
            },
            thresholds: higherIsBetter(0.9, 0.95),
          }),
          timeseriesPanel({
            title: 'Mint jobs by state',
            description: 'Mint jobs per state as the database sees them.',
            unit: 'none',
            w: 24,
            queries: [{ expr: `max by (state) (car_dano_mint_jobs${app()})`, legend: '{{state}}' }],
          }),
        ],
      },
      {
        title: 'Submissions and attempts',
        panels: [
          timeseriesPanel({
            title: 'Transactions by outcome',
            description: 'Sent, confirmed, given up and sent again, per minute.',
            unit: 'opm',
            queries: [
              { expr: `60 * ${sumRate('car_dano_mint_submissions_total', app(), 'outcome')}`, legend: '{{outcome}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Mint attempts by outcome',
            description: '`done` succeeded, `retry` will be retried, `failed` failed for good (per minute).',
            unit: 'opm',
            stack: true,
            queries: [
              { expr: `60 * ${sumRate('car_dano_job_attempts_total', app(MINT), 'outcome')}`, legend: '{{outcome}}' },
            ],
          }),
        ],
      },
      {
        title: 'Errors',
        panels: [
          timeseriesPanel({
            title: 'Mint errors by category',
            description:
              'utxo_busy, mempool_full, timeout and provider are retried; insufficient_funds and invalid_witness are not (fund or fix the wallet). Per minute.',
            unit: 'opm',
            w: 10,
            queries: [
              { expr: `60 * ${sumRate('car_dano_mint_errors_total', app(), 'category')}`, legend: '{{category}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Mint errors by code',
            description: 'The stable error codes behind the categories (CHAIN.UTXO_BUSY...), per minute.',
            unit: 'opm',
            w: 10,
            queries: [{ expr: `60 * ${sumRate('car_dano_job_errors_total', app(MINT), 'code')}`, legend: '{{code}}' }],
          }),
          statPanel({
            title: 'Fatal errors (range)',
            description: 'insufficient_funds or invalid_witness over the selected range: retrying will not help.',
            unit: 'none',
            w: 4,
            h: 8,
            query: { expr: `sum(increase(car_dano_mint_errors_total${app(FATAL)}[$__range]))` },
            thresholds: redFrom(1),
            noValue: '0',
          }),
        ],
      },
      {
        title: 'Stages and approval → NFT',
        panels: [
          timeseriesPanel({
            title: 'Mint stage p95',
            description: '95th percentile of each mint stage (build, submit, confirm).',
            unit: 's',
            min: 0,
            queries: [
              { expr: quantile(0.95, 'car_dano_job_stage_duration_seconds', app(MINT), 'stage'), legend: '{{stage}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Approval → NFT p50 / p95',
            description: 'From the approval to the confirmed NFT (ARCHIVED). Objective: 95% within 30 min.',
            unit: 's',
            min: 0,
            queries: [
              { expr: quantile(0.5, PIPELINE, app(ARCHIVED)), legend: 'p50' },
              { expr: quantile(0.95, PIPELINE, app(ARCHIVED)), legend: 'p95' },
            ],
            thresholdLines: [
              [null, 'transparent'],
              [1800, 'red'],
            ],
          }),
          heatmapPanel({
            title: 'Approval → NFT distribution',
            description: 'Archived inspections per duration bucket (1 s to 1 h).',
            unit: 's',
            w: 24,
            expr: `sum by (le) (rate(${PIPELINE}_bucket${app(ARCHIVED)}[${RATE}]))`,
          }),
        ],
      },
      {
        title: 'Chain provider',
        panels: [
          timeseriesPanel({
            title: 'Breakers: chain, chain-verify',
            description:
              'Circuit breakers in front of the chain provider (minting: chain; public verification: chain-verify). 0 closed, 1 half-open, 2 open.',
            unit: 'none',
            min: 0,
            max: 2,
            mappings: BREAKER_STATES,
            queries: [
              {
                expr: `max by (breaker) (car_dano_breaker_state${app('breaker=~"chain|chain-verify"')})`,
                legend: '{{breaker}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Breaker transitions',
            description: 'State changes of the chain breakers, per minute: flapping means the provider is unstable.',
            unit: 'opm',
            queries: [
              {
                expr: `60 * ${sumRate('car_dano_breaker_transitions_total', app('breaker=~"chain|chain-verify"'), 'breaker, state')}`,
                legend: '{{breaker}} → {{state}}',
              },
            ],
          }),
        ],
      },
    ],
  });
}
