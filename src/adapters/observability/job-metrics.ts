import { Counter, Histogram, type Registry } from 'prom-client';
import type { JobTelemetry, MintSubmissionOutcome, PipelineName } from '../../ports/job-telemetry.js';
import { MINT_ERROR_CATEGORIES, mintErrorCategory } from './mint-error-category.js';

const STAGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const PIPELINE_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600];
const MB = 1024 * 1024;
const PDF_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100].map((mb) => mb * MB);

/**
 * Job metrics on the app's registry (/metrics of the API and of the worker):
 * - `car_dano_job_stage_duration_seconds{queue,stage}`: each stage (report: render (compress and stamp within it), store, ipfs, record;
 *   mint: build, submit, confirm);
 * - `car_dano_job_attempts_total{queue,outcome}` and `car_dano_job_errors_total{queue,code}` (stable codes);
 * - `car_dano_mint_errors_total{category}`: mint errors by category (utxo_busy, timeout, rejected...);
 * - `car_dano_pipeline_duration_seconds{pipeline,outcome}`: approval → stored report, approval → NFT;
 * - `car_dano_report_pdf_size_bytes{variant}` and `car_dano_mint_submissions_total{outcome}`.
 */
export class PromJobTelemetry implements JobTelemetry {
  private readonly stages: Histogram<'queue' | 'stage'>;
  private readonly attempts: Counter<'queue' | 'outcome'>;
  private readonly errors: Counter<'queue' | 'code'>;
  private readonly mintErrors: Counter<'category'>;
  private readonly pipelines: Histogram<'pipeline' | 'outcome'>;
  private readonly pdfs: Histogram<'variant'>;
  private readonly submissions: Counter<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.stages = new Histogram({
      name: 'car_dano_job_stage_duration_seconds',
      help: 'Duration of each job stage by queue (report-render: render with its parts compress and stamp, store, ipfs, record; mint: build, submit, confirm).',
      labelNames: ['queue', 'stage'] as const,
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.attempts = new Counter({
      name: 'car_dano_job_attempts_total',
      help: 'Job attempts by queue and outcome (done, retry, failed).',
      labelNames: ['queue', 'outcome'] as const,
      registers,
    });
    this.errors = new Counter({
      name: 'car_dano_job_errors_total',
      help: 'Failed job attempts by queue and stable error code.',
      labelNames: ['queue', 'code'] as const,
      registers,
    });
    this.mintErrors = new Counter({
      name: 'car_dano_mint_errors_total',
      help: `Failed mint attempts by category (${MINT_ERROR_CATEGORIES.join(', ')}).`,
      labelNames: ['category'] as const,
      registers,
    });
    this.pipelines = new Histogram({
      name: 'car_dano_pipeline_duration_seconds',
      help: 'From approval to the end of a pipeline (report: stored report PDFs; archive: confirmed NFT), by outcome.',
      labelNames: ['pipeline', 'outcome'] as const,
      buckets: PIPELINE_BUCKETS,
      registers,
    });
    this.pdfs = new Histogram({
      name: 'car_dano_report_pdf_size_bytes',
      help: 'Size of each produced report PDF (after size control), by variant (full, no_docs).',
      labelNames: ['variant'] as const,
      buckets: PDF_BUCKETS,
      registers,
    });
    this.submissions = new Counter({
      name: 'car_dano_mint_submissions_total',
      help: 'Mint transactions by outcome (submitted, confirmed, failed, resubmitted).',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.zero();
  }

  /** Every known series from the start (at 0), so rates and ratios see a 0 rather than nothing. */
  private zero(): void {
    for (const queue of ['report-render', 'mint'])
      for (const outcome of ['done', 'retry', 'failed']) this.attempts.inc({ queue, outcome }, 0);
    for (const category of MINT_ERROR_CATEGORIES) this.mintErrors.inc({ category }, 0);
    for (const pipeline of ['report', 'archive'])
      for (const outcome of ['success', 'failure']) this.pipelines.zero({ pipeline, outcome });
    for (const variant of ['full', 'no_docs']) this.pdfs.zero({ variant });
    for (const outcome of ['submitted', 'confirmed', 'failed', 'resubmitted']) this.submissions.inc({ outcome }, 0);
  }

  stageCompleted(queue: string, stage: string, seconds: number): void {
    this.stages.observe({ queue, stage: stage.toLowerCase() }, seconds);
  }

  attemptEnded(queue: string, outcome: 'done' | 'retry' | 'failed', errorCode?: string): void {
    this.attempts.inc({ queue, outcome });
    if (!errorCode) return;
    this.errors.inc({ queue, code: errorCode });
    if (queue === 'mint') this.mintErrors.inc({ category: mintErrorCategory(errorCode) });
  }

  pipelineEnded(pipeline: PipelineName, outcome: 'success' | 'failure', seconds: number): void {
    this.pipelines.observe({ pipeline, outcome }, seconds);
  }

  pdfProduced(variant: 'full' | 'no_docs', bytes: number): void {
    this.pdfs.observe({ variant }, bytes);
  }

  mintSubmission(outcome: MintSubmissionOutcome): void {
    this.submissions.inc({ outcome });
  }
}
