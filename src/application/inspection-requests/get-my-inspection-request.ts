import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { RequestDetail } from './deps.js';
import { detailOf } from './request-helpers.js';

/** One of the caller's requests with its status history and photos; someone else's is REQUEST.NOT_FOUND. */
export class GetMyInspectionRequest {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  execute(actor: Actor, id: string): Promise<RequestDetail> {
    return detailOf(this.uow, id, actor.userId, this.links);
  }
}
