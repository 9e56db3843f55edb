import type { ByteSource } from './object-storage.js';

export interface ImageRendition {
  bytes: Buffer;
  width: number;
  height: number;
  /** SHA-256 of `bytes` (hex), recorded with the rendition so backups can verify it. */
  sha256: string;
}

export interface ImageProcessor {
  /**
   * The print rendition of a photo: EXIF orientation applied, long side at most `maxSide` (never enlarged),
   * JPEG at `quality`, with no metadata of the original (no EXIF, GPS, XMP, IPTC or comments). Throws DomainError PHOTO.UNREADABLE when the bytes are not a decodable image.
   */
  printRendition(source: ByteSource, maxSide: number, quality: number): Promise<ImageRendition>;
  /**
   * Decodes a whole image to prove it is one, refusing more than `maxPixels` pixels (decompression bombs)
   * before decoding them. Throws DomainError PHOTO.UNREADABLE (truncated, corrupt, not an image) or
   * PHOTO.TOO_MANY_PIXELS, both 422, naming `name`.
   */
  inspect(source: ByteSource, maxPixels: number, name: string): Promise<void>;
}

export const ImageProcessor = Symbol('ImageProcessor');
