import type { Inspection } from '../../domain/inspection/inspection.js';
import { isPublicVariant, PUBLIC_VARIANT, REPORT_VARIANTS } from '../../domain/inspection/report.js';
import { isPublishedStatus } from '../../domain/inspection/status.js';
import type { ReportJob, VariantArtifact } from '../../domain/report/report-job.js';
import type { Clock } from '../../ports/clock.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import { startArchive, type ArchiveDeps } from '../archive/archive-inspection.js';
import { enqueuePinChecks } from '../archive/public-archive.js';

/** What the RECORD stage needs of the report job's dependencies. */
export interface RecordReportsDeps {
  storage: Pick<ObjectStorage, 'driver'>;
  clock: Clock;
  /** ARCHIVE_AUTO: when given, an APPROVED inspection starts its archive (mint) in the same transaction. */
  autoArchive?: ArchiveDeps;
}

/**
 * CIDs whose pins the sweeper must check: what this job replaces, its public CID when the inspection went
 * back to review (or was deactivated) meanwhile, and a legacy CID of a private variant.
 */
async function stalePins(
  tx: TransactionalPorts,
  current: Inspection | null,
  inspectionId: string,
  artifacts: ReportJob['artifacts'],
): Promise<string[]> {
  // What this job replaces, and a CID it published while the inspection went back to review (or was
  // deactivated), are brought in line with the database by the pin sweeper: nothing stays pinned that
  // nothing publishes.
  const before = await tx.reports.listForInspection(inspectionId);
  const publicCid = artifacts[PUBLIC_VARIANT]?.ipfsCid ?? null;
  const stale = before.map((r) => r.ipfsCid).filter((cid): cid is string => !!cid && cid !== publicCid);
  if (publicCid && !(current && isPublishedStatus(current.status))) stale.push(publicCid);
  // A legacy artifact may carry a CID for the full variant (added before only the public one was):
  // it is never recorded, and its pin is withdrawn.
  const privateCids = REPORT_VARIANTS.filter((v) => !isPublicVariant(v))
    .map((v) => artifacts[v]?.ipfsCid)
    .filter((cid): cid is string => !!cid);
  return [...stale, ...privateCids];
}

/**
 * RECORD, inside the caller's transaction: the reports with their SHA-256 and (public variant only) CID on
 * the inspection, stale pins queued for checking, the job DONE, an audit REPORT_GENERATED, and with
 * ARCHIVE_AUTO the archive of an APPROVED inspection started. Returns the finished job.
 */
export async function recordReports(
  tx: TransactionalPorts,
  d: RecordReportsDeps,
  job: ReportJob,
  inspection: Inspection,
  artifacts: ReportJob['artifacts'],
): Promise<ReportJob | null> {
  const now = d.clock.now();
  const current = await tx.inspections.findByIdForUpdate(inspection.id);
  const publicCid = artifacts[PUBLIC_VARIANT]?.ipfsCid ?? null;
  await enqueuePinChecks(tx, await stalePins(tx, current, inspection.id, artifacts), now);
  for (const variant of REPORT_VARIANTS) {
    const a = artifacts[variant] as VariantArtifact;
    await tx.reports.upsert({
      inspectionId: inspection.id,
      variant,
      storageDriver: d.storage.driver,
      storageKey: a.storageKey as string,
      sha256: a.sha256,
      sizeBytes: a.sizeBytes,
      pageCount: a.pageCount,
      htmlSha256: a.htmlSha256,
      ipfsCid: isPublicVariant(variant) ? (a.ipfsCid ?? null) : null,
      pdfJobId: job.id,
      createdAt: now,
    });
  }
  await tx.reportJobStore.complete(job.id, now);
  await tx.audit.record(
    {
      actorId: null,
      action: 'REPORT_GENERATED',
      entity: 'inspection',
      entityId: inspection.id,
      metadata: { pdfJobId: job.id, full: artifacts.full?.sha256, noDocs: artifacts['no-docs']?.sha256, publicCid },
    },
    now,
  );
  if (d.autoArchive && current?.status === 'APPROVED')
    await startArchive(tx, d.autoArchive, current, { userId: null, role: 'SYSTEM' }, 'auto', now);
  return tx.reportJobStore.find(job.id);
}
