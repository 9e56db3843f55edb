import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { RequestPhotoView } from './deps.js';
import { loadVisible } from './request-helpers.js';

/** The photos attached to one of the caller's requests, with signed URLs; someone else's is REQUEST.NOT_FOUND. */
export class ListRequestPhotos {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  async execute(actor: Actor, requestId: string): Promise<RequestPhotoView[]> {
    const photos = await this.uow.run(async (tx) => {
      await loadVisible(tx, requestId, actor.userId);
      return tx.inspectionRequests.listPhotos(requestId);
    });
    return this.links.views(photos);
  }
}
