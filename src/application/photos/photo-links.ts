import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import type { Clock } from '../../ports/clock.js';
import type { ObjectStorage } from '../../ports/object-storage.js';

/** A photo as callers see it: metadata plus a signed, expiring URL (never the storage key). */
export type PhotoView = Omit<InspectionPhoto, 'storageKey' | 'storageDriver' | 'sha256' | 'renditionKey' | 'renditionSizeBytes'> & { sha256: string; url: string; urlExpiresAt: Date };

/** Signs photo URLs. Every URL expires; document photos get the short lifetime too, never a public link. */
export class PhotoLinks {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  async view(p: InspectionPhoto): Promise<PhotoView> {
    const url = await this.storage.signedGetUrl(p.storageKey, this.ttlSeconds);
    const { storageKey: _k, storageDriver: _d, renditionKey: _r, renditionSizeBytes: _s, ...rest } = p;
    return { ...rest, url, urlExpiresAt: new Date(this.clock.now().getTime() + this.ttlSeconds * 1000) };
  }

  views(photos: InspectionPhoto[]): Promise<PhotoView[]> {
    return Promise.all(photos.map((p) => this.view(p)));
  }
}
