import { isPublicVariant } from '../../domain/inspection/report.js';
import { isPublishedStatus } from '../../domain/inspection/status.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import type { Clock } from '../../ports/clock.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { Ipfs } from '../../ports/ipfs.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';
import type { InspectionReports } from '../../ports/report-jobs.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import { retryDelayMs, type DeletionLogger } from '../photos/object-deleter.js';

/**
 * The pending-work "driver" of a pin check: the entry's key is a CID whose pin is to be brought in line
 * with the database (pinned when it is a published public report, unpinned otherwise).
 */
export const PIN_CHECK_DRIVER = 'ipfs-pin';

/** Records pin checks inside the caller's transaction; the sweeper carries them out after the commit. */
export async function enqueuePinChecks(
  tx: Pick<TransactionalPorts, 'deletions'>,
  cids: Iterable<string>,
  now: Date,
): Promise<void> {
  await tx.deletions.enqueue(
    [...new Set(cids)].map((key) => ({ driver: PIN_CHECK_DRIVER, key })),
    now,
  );
}

/** Every CID an inspection's stored reports name (the public one; a legacy full-variant one too). */
export async function cidsOfInspection(
  tx: Pick<TransactionalPorts, 'reports'>,
  inspectionId: string,
): Promise<string[]> {
  return (await tx.reports.listForInspection(inspectionId)).map((r) => r.ipfsCid).filter((c): c is string => !!c);
}

export type PinOutcome = 'kept' | 'pinned' | 'unpinned';

/**
 * What is public on IPFS, decided by the database: a CID is published when it is the public variant's
 * report of an inspection that exists and is in a published status (not back in review, not
 * deactivated). `GET /ipfs/{cid}` serves only published CIDs; the sweeper makes the node's pins follow
 * (unpin what is withdrawn, re-add from object storage what is published again, e.g. on re-activation).
 */
export class PublicArchive {
  constructor(
    private readonly reports: InspectionReports,
    private readonly inspections: InspectionRepository,
    private readonly ipfs: Ipfs,
    private readonly storage: ObjectStorage,
    private readonly pending: PendingDeletions,
    private readonly clock: Clock,
    private readonly log: DeletionLogger & { info(message: string, meta: Record<string, unknown>): void },
  ) {}

  /** The stored public report published under this CID, or null when nothing publishes it. */
  async publishedReport(cid: string): Promise<StoredReport | null> {
    for (const r of await this.reports.findByCid(cid)) {
      if (!isPublicVariant(r.variant)) continue;
      const inspection = await this.inspections.findById(r.inspectionId);
      if (inspection && isPublishedStatus(inspection.status)) return r;
    }
    return null;
  }

  async isPublished(cid: string): Promise<boolean> {
    return (await this.publishedReport(cid)) !== null;
  }

  /** Brings one CID's pin in line with the database. Throws when IPFS or the store fails (the sweeper retries). */
  async reconcile(cid: string): Promise<PinOutcome> {
    const report = await this.publishedReport(cid);
    if (!report) {
      await this.ipfs.unpin(cid);
      return 'unpinned';
    }
    if (await this.ipfs.isPinned(cid)) return 'kept';
    const added = await this.ipfs.add(await this.storage.get(report.storageKey));
    if (added.cid !== cid) {
      // Another CID version or chunking than when it was published: the stored CID (in the NFT) is the one
      // that matters, and this node cannot produce it. An operator must align IPFS_CID_VERSION.
      await this.ipfs.unpin(added.cid);
      throw new Error(
        `re-adding ${report.storageKey} gave ${added.cid}, not the published ${cid} (check IPFS_CID_VERSION)`,
      );
    }
    return 'pinned';
  }

  /** Carries out every due pin check once; a failure is logged and postponed (1 min, 2, 4 ... 6 h). */
  async sweep(limit = 100): Promise<{ done: number; failed: number }> {
    const due = await this.pending.due(this.clock.now(), limit, PIN_CHECK_DRIVER);
    let done = 0;
    for (const d of due) if (await this.attempt(d)) done++;
    return { done, failed: due.length - done };
  }

  private async attempt(d: PendingDeletion): Promise<boolean> {
    try {
      const outcome = await this.reconcile(d.key);
      await this.pending.done(d.id);
      if (outcome !== 'kept') this.log.info(`ipfs pin ${outcome}`, { cid: d.key });
      return true;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const next = new Date(this.clock.now().getTime() + retryDelayMs(d.attempts));
      this.log.warn('ipfs pin check failed; will retry', {
        cid: d.key,
        attempts: d.attempts + 1,
        error,
        nextAttemptAt: next.toISOString(),
      });
      await this.pending.failed(d.id, error, next);
      return false;
    }
  }
}
