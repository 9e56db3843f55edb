import type { OwnedPhoto } from '../../domain/customer/vehicle.js';
import { SignedPhotoLinks, type SignedUrl } from './photo-links.js';

/** A stored photo of a vehicle or a request as callers see it: no storage key, a signed expiring URL. */
export type OwnedPhotoView = Omit<OwnedPhoto, 'storageKey' | 'storageDriver'> & SignedUrl;

/** Signs URLs of owned (vehicle and request) photos exactly like PhotoLinks signs inspection photos. */
export class OwnedPhotoLinks extends SignedPhotoLinks<OwnedPhoto, Omit<OwnedPhoto, 'storageKey' | 'storageDriver'>> {
  protected shown(p: OwnedPhoto): Omit<OwnedPhoto, 'storageKey' | 'storageDriver'> {
    const { storageKey: _k, storageDriver: _d, ...rest } = p;
    return rest;
  }
}
