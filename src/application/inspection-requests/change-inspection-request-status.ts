import type { CustomerInspectionRequest, CustomerInspectionStatus } from '../../domain/customer/inspection-request.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadForUpdate } from './request-helpers.js';
import { changeRequestStatus } from './request-status.js';

/** Moves a request along the transition table (audit STATUS_CHANGE, a history row with actor id and role). */
export class ChangeInspectionRequestStatus {
  constructor(private readonly d: { uow: UnitOfWork; ids: IdGenerator; clock: Clock }) {}

  execute(
    actor: Actor,
    id: string,
    to: CustomerInspectionStatus,
    reason: string | null,
  ): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) =>
      changeRequestStatus(tx, this.d, actor, await loadForUpdate(tx, id), to, reason),
    );
  }
}
