export type ReportPriority = 'single' | 'bulk';

/**
 * Where approval asks for the report PDFs to be rendered. Called inside the approval's unit of work, so
 * the request commits or rolls back with the status change (a rolled-back approval never leaves a job).
 * The report issue consumes these requests.
 */
export interface ReportJobQueue {
  /** Records a durable request to render the reports of an inspection; returns its job id. */
  enqueue(inspectionId: string, priority: ReportPriority, now: Date): Promise<string>;
  /** Sends an existing job (an operator's re-run) to the workers again. */
  resend(jobId: string, inspectionId: string, priority: ReportPriority): Promise<void>;
}

export const ReportJobQueue = Symbol('ReportJobQueue');
