import type { CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import type { Actor } from '../actor.js';
import { createRequest, type CreateRequestInput } from './create-request.js';
import type { RequestDeps } from './deps.js';

/** A customer asks for an inspection of one of their vehicles, or of a car they describe. */
export class CreateMyInspectionRequest {
  constructor(private readonly d: RequestDeps) {}

  execute(actor: Actor, input: CreateRequestInput): Promise<CustomerInspectionRequest> {
    return this.d.uow.run((tx) => createRequest(tx, this.d, actor, actor.userId, input));
  }
}
