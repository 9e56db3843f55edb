import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { ReportPriority } from '../../ports/report-job-queue.js';
import type { Actor } from '../actor.js';

export const BULK_APPROVE_MAX = 50;

export type BulkApproveResult =
  | { id: string; ok: true; status: 'APPROVED'; prettyId: string; reportJobId: string }
  | { id: string; ok: false; code: string; message: string };

/** One approval in its own transaction (ApproveInspection). */
export interface SingleApproval {
  execute(
    actor: Actor,
    id: string,
    priority?: ReportPriority,
  ): Promise<{ inspection: Inspection; reportJobId: string }>;
}

/** Approves up to 50 inspections, each in its own transaction: one failure does not undo the others. */
export class BulkApproveInspections {
  constructor(private readonly approve: SingleApproval) {}

  async execute(actor: Actor, ids: string[]): Promise<BulkApproveResult[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0 || unique.length > BULK_APPROVE_MAX) throw InspectionErrors.bulkTooLarge(BULK_APPROVE_MAX);
    const results: BulkApproveResult[] = [];
    for (const id of unique) {
      try {
        const r = await this.approve.execute(actor, id, 'bulk');
        results.push({ id, ok: true, status: 'APPROVED', prettyId: r.inspection.prettyId, reportJobId: r.reportJobId });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        results.push({ id, ok: false, code: e.code, message: e.message });
      }
    }
    return results;
  }
}
