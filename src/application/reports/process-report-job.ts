import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import { PUBLIC_VARIANT, REPORT_VARIANTS } from '../../domain/inspection/report.js';
import {
  isPermanentReportFailure,
  reportKey,
  type ReportJob,
  type VariantArtifact,
} from '../../domain/report/report-job.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { IpfsErrors } from '../../domain/ipfs/ipfs-errors.js';
import { StorageErrors } from '../../domain/storage/storage-errors.js';
import { withTimeout } from '../../domain/shared/timeout.js';
import type { Ipfs } from '../../ports/ipfs.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import { noTracer, type Tracer } from '../../ports/tracer.js';
import type { ArchiveDeps } from '../archive/archive-inspection.js';
import { recordReports } from './record-reports.js';
import { renderVariant, type RenderDeps } from './render-variant.js';

export interface ReportJobDeps extends RenderDeps {
  storage: ObjectStorage;
  ipfs: Ipfs;
  /** Per-stage budgets: an upload and an IPFS add that hang fail the attempt (retried) instead of the job hanging. */
  timeouts: { storeMs: number; ipfsMs: number };
  /** Spans for the stages and each Chromium render (none when not given). */
  tracer?: Tracer;
  /** ARCHIVE_AUTO: when given, a finished report job of an APPROVED inspection starts its archive (mint) in the same transaction. */
  autoArchive?: ArchiveDeps;
}

/**
 * One report job, in stages persisted on the job row: RENDER (both variants: render, stamp, size control;
 * each finished PDF kept in the scratch store), STORE (upload to object storage), IPFS (add and pin the
 * public variant only: the full one, with the registration documents, never leaves object storage), RECORD (the reports with their SHA-256 and CID on the inspection, the job DONE, in one transaction). A retry resumes at the stage that
 * failed with the artifacts already made, so a failed upload never renders again.
 */
export class ProcessReportJob {
  constructor(private readonly d: ReportJobDeps) {}

  async execute(jobId: string, opts: { finalAttempt: boolean }): Promise<ReportJob | null> {
    const job = await this.d.uow.run((tx) => tx.reportJobStore.markRunning(jobId, this.d.clock.now()));
    if (!job || job.stage === 'DONE') return job;
    try {
      return await this.run(job);
    } catch (e) {
      await this.failed(job, e, opts.finalAttempt);
      throw e;
    }
  }

  /** The stages from the one the job is at; each saves its progress on the job row and is a span. */
  private async run(job: ReportJob): Promise<ReportJob | null> {
    const inspection = await this.d.uow.run((tx) => tx.inspections.findById(job.inspectionId));
    if (!inspection) throw InspectionErrors.notFound();
    const artifacts = { ...job.artifacts };
    const stageDone = this.stageTimer();
    const stage = <T>(name: string, fn: () => Promise<T>) =>
      this.tracer.inSpan(`report.${name}`, { jobId: job.id, inspectionId: job.inspectionId }, fn);
    if (job.stage === 'RENDER' || (await this.scratchMissing(artifacts))) {
      await stage('render', () => this.renderStage(job, inspection, artifacts));
      stageDone('RENDER');
    }
    await stage('store', () => this.storeStage(job, inspection, artifacts));
    stageDone('STORE');
    await stage('ipfs', () => this.ipfsStage(job, artifacts));
    stageDone('IPFS');
    const done = await stage('record', () =>
      this.d.uow.run((tx) => recordReports(tx, this.d, job, inspection, artifacts)),
    );
    stageDone('RECORD');
    this.d.telemetry.attemptEnded('report-render', 'done');
    this.d.telemetry.pipelineEnded('report', 'success', this.secondsSince(job.createdAt));
    for (const variant of REPORT_VARIANTS)
      await this.d.scratch.delete((artifacts[variant] as VariantArtifact).scratchKey).catch(() => undefined);
    return done;
  }

  private get tracer(): Tracer {
    return this.d.tracer ?? noTracer;
  }

  /** Reports how long each stage took (telemetry), from now on. */
  private stageTimer(): (stage: string) => void {
    let mark = this.d.clock.now().getTime();
    return (stage) => {
      const t = this.d.clock.now().getTime();
      this.d.telemetry.stageCompleted('report-render', stage, (t - mark) / 1000);
      mark = t;
    };
  }

  /** RENDER: every variant not rendered yet (or whose scratch copy is gone), each kept in the scratch store. */
  private async renderStage(job: ReportJob, inspection: Inspection, artifacts: ReportJob['artifacts']): Promise<void> {
    for (const variant of REPORT_VARIANTS) {
      const a = artifacts[variant];
      if (a?.storageKey || (a && (await this.d.scratch.head(a.scratchKey)))) continue;
      const made = await renderVariant(this.d, this.tracer, job, inspection, variant);
      artifacts[variant] = made;
      this.d.telemetry.pdfProduced(variant === 'full' ? 'full' : 'no_docs', made.sizeBytes);
      await this.save(job.id, 'RENDER', artifacts);
    }
    await this.save(job.id, 'STORE', artifacts);
  }

  /** STORE: every variant not stored yet is uploaded from the scratch store, its size checked. */
  private async storeStage(job: ReportJob, inspection: Inspection, artifacts: ReportJob['artifacts']): Promise<void> {
    for (const variant of REPORT_VARIANTS) {
      const a = artifacts[variant] as VariantArtifact;
      if (a.storageKey) continue;
      const key = reportKey(inspection.id, inspection.prettyId, variant);
      const info = await withTimeout(
        this.d.storage.put(key, await this.d.scratch.get(a.scratchKey), {
          contentType: 'application/pdf',
          size: a.sizeBytes,
        }),
        this.d.timeouts.storeMs,
        'STORAGE.TIMEOUT',
        `uploading ${key}`,
      );
      if (info.size !== a.sizeBytes)
        throw StorageErrors.unavailable(`stored ${info.size} bytes of ${a.sizeBytes} for ${key}`);
      artifacts[variant] = { ...a, storageKey: key };
      await this.save(job.id, 'STORE', artifacts);
    }
    await this.save(job.id, 'IPFS', artifacts);
  }

  /** IPFS: the public variant only is added (and pinned), unless it has its CID already. */
  private async ipfsStage(job: ReportJob, artifacts: ReportJob['artifacts']): Promise<void> {
    const a = artifacts[PUBLIC_VARIANT] as VariantArtifact;
    if (!a.ipfsCid) {
      const added = await withTimeout(
        this.d.ipfs.add(await this.d.storage.get(a.storageKey as string)),
        this.d.timeouts.ipfsMs,
        'IPFS.TIMEOUT',
        `adding ${PUBLIC_VARIANT} to IPFS`,
      );
      if (added.size !== a.sizeBytes) throw IpfsErrors.unavailable(`IPFS took ${added.size} bytes of ${a.sizeBytes}`);
      artifacts[PUBLIC_VARIANT] = { ...a, ipfsCid: added.cid };
      await this.save(job.id, 'IPFS', artifacts);
    }
    await this.save(job.id, 'RECORD', artifacts);
  }

  /** A failed attempt: retried later, or the job FAILED on the last attempt or a permanent failure. */
  private async failed(job: ReportJob, e: unknown, finalAttempt: boolean): Promise<void> {
    const error = isDomainError(e)
      ? { code: e.code, message: e.message }
      : { code: 'REPORT.UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
    // A permanent failure (the input is wrong) ends the job now instead of burning every retry on it.
    const final = finalAttempt || isPermanentReportFailure(error.code);
    await this.d.uow.run((tx) => tx.reportJobStore.fail(job.id, error, final, this.d.clock.now()));
    this.d.telemetry.attemptEnded('report-render', final ? 'failed' : 'retry', error.code);
    if (final) this.d.telemetry.pipelineEnded('report', 'failure', this.secondsSince(job.createdAt));
  }

  /** Seconds from `t` (the job was created by the approval) to now. */
  private secondsSince(t: Date): number {
    return Math.max(0, (this.d.clock.now().getTime() - t.getTime()) / 1000);
  }

  private async scratchMissing(artifacts: ReportJob['artifacts']): Promise<boolean> {
    for (const v of REPORT_VARIANTS) {
      const a = artifacts[v];
      if (!a) return true;
      if (!a.storageKey && !(await this.d.scratch.head(a.scratchKey))) return true;
    }
    return false;
  }

  private save(id: string, stage: ReportJob['stage'], artifacts: ReportJob['artifacts']): Promise<void> {
    return this.d.uow.run((tx) => tx.reportJobStore.saveProgress(id, stage, artifacts, this.d.clock.now()));
  }
}
