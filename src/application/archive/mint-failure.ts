import type { MintJob } from '../../domain/archive/mint-job.js';
import type { MintJobDeps } from './process-mint-job.js';

/**
 * A mint that failed for good, told to everyone who must know: telemetry (the attempt, the transaction and
 * the archive pipeline, timed from the approval), a log line and a critical alert for operators.
 */
export async function announceMintFailure(
  d: Pick<MintJobDeps, 'telemetry' | 'log' | 'notifier' | 'clock'>,
  job: MintJob,
  error: { code: string; message: string },
  approvedAt: Date,
): Promise<void> {
  const now = d.clock.now();
  d.telemetry.attemptEnded('mint', 'failed', error.code);
  d.telemetry.mintSubmission('failed');
  d.telemetry.pipelineEnded('archive', 'failure', Math.max(0, (now.getTime() - approvedAt.getTime()) / 1000));
  d.log.warn('mint failed for good', {
    mintJobId: job.id,
    inspectionId: job.inspectionId,
    code: error.code,
    attempts: job.attempts,
  });
  await d.notifier.notify({
    kind: 'JOB_FAILED',
    severity: 'critical',
    title: 'A mint job failed permanently',
    key: job.id,
    // Not "message": the log notifier's winston would append it to the alert's log message (and drop the field).
    details: {
      mintJobId: job.id,
      inspectionId: job.inspectionId,
      code: error.code,
      error: error.message,
      attempts: job.attempts,
    },
  });
}
