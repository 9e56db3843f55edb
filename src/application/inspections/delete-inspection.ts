import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { objectsOf } from '../../domain/inspection/photo.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';
import { enqueuePinChecks } from '../archive/public-archive.js';
import type { PinSweeper } from './change-status.js';

/**
 * Permanent deletion (SUPERADMIN). The rows go in one transaction that also records every stored object
 * (photos, their renditions, the report PDFs) as pending deletion and every IPFS CID for a pin check (its
 * report is gone, so it is unpinned); both are then carried out at once, and whatever fails is retried by
 * the sweepers.
 */
export class DeleteInspection {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly deleter: ObjectDeleter,
    private readonly clock: Clock,
    private readonly pins?: PinSweeper,
  ) {}

  async execute(actor: Actor, id: string): Promise<{ objects: number }> {
    const objects = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const inspection = await tx.inspections.findByIdForUpdate(id);
      if (!inspection) throw InspectionErrors.notFound();
      const photos = await tx.photos.listForInspection(id);
      const reports = await tx.reports.listForInspection(id);
      // The same report rows name the CIDs to unpin.
      const cids = reports.map((r) => r.ipfsCid).filter((c): c is string => !!c);
      await tx.deletions.enqueue(
        [...photos.flatMap(objectsOf), ...reports.map((r) => ({ driver: r.storageDriver, key: r.storageKey }))],
        now,
      );
      await enqueuePinChecks(tx, cids, now);
      await tx.inspections.delete(id);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'INSPECTION_DELETED',
          entity: 'inspection',
          entityId: id,
          metadata: { prettyId: inspection.prettyId, photos: photos.length, reports: reports.length, unpinned: cids },
        },
        now,
      );
      return photos.length;
    });
    await this.deleter.sweep();
    await this.pins?.sweep();
    return { objects };
  }
}
