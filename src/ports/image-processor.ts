import type { ByteSource } from './object-storage.js';

export interface ImageRendition {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface ImageProcessor {
  /**
   * The print rendition of a photo: EXIF orientation applied, long side at most `maxSide` (never enlarged),
   * JPEG at `quality`. Throws DomainError PHOTO.UNREADABLE when the bytes are not a decodable image.
   */
  printRendition(source: ByteSource, maxSide: number, quality: number): Promise<ImageRendition>;
}

export const ImageProcessor = Symbol('ImageProcessor');
