import type { InspectionPhoto, PhotoMetadata } from '../domain/inspection/photo.js';

/** A new file for a photo; any rendition of the previous file is forgotten (the caller deletes its object). */
export type PhotoFilePatch = Pick<
  InspectionPhoto,
  'storageKey' | 'storageDriver' | 'contentType' | 'sizeBytes' | 'sha256' | 'originalName'
>;

export interface PhotoRepository {
  /** Records a stored photo (its object is already in storage); no rendition yet. */
  create(
    photo: Omit<InspectionPhoto, 'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes' | 'renditionSha256'>,
    now: Date,
  ): Promise<InspectionPhoto>;
  /** Records the print rendition of a photo with its size and SHA-256 (or clears it with null). */
  setRendition(
    id: string,
    rendition: { key: string; sizeBytes: number; sha256: string } | null,
    now: Date,
  ): Promise<void>;
  /** The photo, or null (callers check that it belongs to the inspection in the URL). */
  findById(id: string): Promise<InspectionPhoto | null>;
  /** In display order (sortOrder, then creation). */
  listForInspection(inspectionId: string): Promise<InspectionPhoto[]>;
  /** Applies label, category and flags (undefined fields untouched); null when missing. */
  updateMetadata(id: string, patch: Partial<PhotoMetadata>, now: Date): Promise<InspectionPhoto | null>;
  /** Points the record at another stored object (replace, storage migration). */
  updateFile(id: string, file: PhotoFilePatch, now: Date): Promise<InspectionPhoto | null>;
  /** Deletes the row only (its objects are the caller's to delete); false when missing. */
  delete(id: string): Promise<boolean>;
  /** Sets sortOrder 0..n-1 in the given order; ids must be exactly the inspection's photos. */
  reorder(inspectionId: string, orderedIds: string[], now: Date): Promise<void>;
  /** Photos stored by a driver, in id order after `afterId` (storage migration paging). */
  listByDriver(driver: string, afterId: string | null, limit: number): Promise<InspectionPhoto[]>;
}

export const PhotoRepository = Symbol('PhotoRepository');
