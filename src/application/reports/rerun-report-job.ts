import { ReportErrors, type ReportJob } from '../../domain/report/report-job.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** An operator re-runs a job: it resumes at its stage with the artifacts it has. */
export class RerunReportJob {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, jobId: string): Promise<ReportJob> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const job = await tx.reportJobStore.find(jobId);
      if (!job) throw ReportErrors.jobNotFound();
      if (job.state === 'RUNNING') throw ReportErrors.jobRunning();
      if (job.state === 'DONE') throw ReportErrors.jobDone();
      const requeued = (await tx.reportJobStore.requeue(jobId, now)) as ReportJob;
      await tx.reportJobs.resend(jobId, job.inspectionId, job.priority);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'REPORT_JOB_RERUN',
          entity: 'pdf_job',
          entityId: jobId,
          metadata: { stage: job.stage, previousError: job.lastErrorCode },
        },
        now,
      );
      return requeued;
    });
  }
}
