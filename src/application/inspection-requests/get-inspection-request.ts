import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { RequestDetail } from './deps.js';
import { detailOf } from './request-helpers.js';

/** An admin reads any request with its status history and photos. Errors: REQUEST.NOT_FOUND. */
export class GetInspectionRequest {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  execute(id: string): Promise<RequestDetail> {
    return detailOf(this.uow, id, undefined, this.links);
  }
}
