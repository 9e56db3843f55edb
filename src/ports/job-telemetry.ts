/** Where a pipeline ends: `report` = approval → stored report PDFs; `archive` = approval → confirmed NFT. */
export type PipelineName = 'report' | 'archive';

/** What happened to a mint transaction: sent, confirmed on chain, failed for good, or rebuilt and sent again. */
export type MintSubmissionOutcome = 'submitted' | 'confirmed' | 'failed' | 'resubmitted';

/** Where job stages report what happened (metrics). */
export interface JobTelemetry {
  /** A stage of a job finished (successfully) after `seconds`. */
  stageCompleted(queue: string, stage: string, seconds: number): void;
  /** One attempt ended: done, retry (will be retried) or failed (for good), with the stable error code when it failed. */
  attemptEnded(queue: string, outcome: 'done' | 'retry' | 'failed', errorCode?: string): void;
  /** A pipeline ended for one inspection, `seconds` after its approval: success, or failure for good. */
  pipelineEnded(pipeline: PipelineName, outcome: 'success' | 'failure', seconds: number): void;
  /** A report PDF was produced (after size control): its variant and size. */
  pdfProduced(variant: 'full' | 'no_docs', bytes: number): void;
  /** A mint transaction changed state. */
  mintSubmission(outcome: MintSubmissionOutcome): void;
}

export const JobTelemetry = Symbol('JobTelemetry');

/** Telemetry that records nothing (CLI, unit tests). */
export const noTelemetry: JobTelemetry = {
  stageCompleted: () => undefined,
  attemptEnded: () => undefined,
  pipelineEnded: () => undefined,
  pdfProduced: () => undefined,
  mintSubmission: () => undefined,
};
