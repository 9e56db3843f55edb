import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import type { Clock } from '../../ports/clock.js';
import type { ObjectStorage } from '../../ports/object-storage.js';

/** A signed, expiring URL in place of a storage key. */
export interface SignedUrl {
  url: string;
  urlExpiresAt: Date;
}

/** A photo as callers see it: metadata plus a signed, expiring URL (never the storage key). */
export type PhotoView = Omit<
  InspectionPhoto,
  'storageKey' | 'storageDriver' | 'sha256' | 'renditionKey' | 'renditionSizeBytes' | 'renditionSha256'
> & { sha256: string; url: string; urlExpiresAt: Date };

/**
 * Signs URLs of stored photos (PHOTO_URL_TTL_SECONDS). Every URL expires; document photos get the short
 * lifetime too, never a public link. A subclass says which fields callers see (never the storage key).
 */
export abstract class SignedPhotoLinks<P extends { storageKey: string }, V> {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /** The photo's fields as callers see them, without the URL. */
  protected abstract shown(p: P): V;

  async view(p: P): Promise<V & SignedUrl> {
    const url = await this.storage.signedGetUrl(p.storageKey, this.ttlSeconds);
    return { ...this.shown(p), url, urlExpiresAt: new Date(this.clock.now().getTime() + this.ttlSeconds * 1000) };
  }

  views(photos: P[]): Promise<Array<V & SignedUrl>> {
    return Promise.all(photos.map((p) => this.view(p)));
  }
}

/** Signs inspection photo URLs; the rendition is not shown. */
export class PhotoLinks extends SignedPhotoLinks<InspectionPhoto, Omit<PhotoView, keyof SignedUrl>> {
  protected shown(p: InspectionPhoto): Omit<PhotoView, keyof SignedUrl> {
    const {
      storageKey: _k,
      storageDriver: _d,
      renditionKey: _r,
      renditionSizeBytes: _s,
      renditionSha256: _h,
      ...rest
    } = p;
    return rest;
  }
}
