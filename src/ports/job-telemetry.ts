/** Where job stages report what happened (metrics). */
export interface JobTelemetry {
  /** A stage of a job finished (successfully) after `seconds`. */
  stageCompleted(queue: string, stage: string, seconds: number): void;
  /** One attempt ended: done, retry (will be retried) or failed (for good). */
  attemptEnded(queue: string, outcome: 'done' | 'retry' | 'failed', errorCode?: string): void;
}

export const JobTelemetry = Symbol('JobTelemetry');

/** Telemetry that records nothing (CLI, unit tests). */
export const noTelemetry: JobTelemetry = { stageCompleted: () => undefined, attemptEnded: () => undefined };
