import { renditionKeyOf, type InspectionPhoto } from '../../domain/inspection/photo.js';
import type { Clock } from '../../ports/clock.js';
import type { ImageProcessor } from '../../ports/image-processor.js';
import type { ByteSource, ObjectStorage } from '../../ports/object-storage.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';

export interface RenditionSettings {
  maxSide: number;
  quality: number;
}

/**
 * Reports embed print renditions, not originals (Chromium embeds JPEGs unchanged: 60 photos gave 24.9 MB
 * raw, about 2 MB pre-scaled). A rendition is made once per photo, on first use, and stored beside the
 * original; originals stay downloadable for staff. A rendition is re-encoded without any of the original's
 * metadata (EXIF, GPS, XMP, comments): it is what reports and customers get.
 */
export class PrintRenditions {
  constructor(
    private readonly photos: PhotoRepository,
    private readonly storage: ObjectStorage,
    private readonly images: ImageProcessor,
    private readonly clock: Clock,
    private readonly settings: RenditionSettings,
  ) {}

  /** The rendition's bytes, making and recording it first when it does not exist yet. */
  async open(photo: InspectionPhoto): Promise<{ contentType: string; size: number; body: ByteSource }> {
    if (photo.renditionKey) {
      const head = await this.storage.head(photo.renditionKey);
      if (head) return { contentType: 'image/jpeg', size: head.size, body: await this.storage.get(photo.renditionKey) };
    }
    const made = await this.make(photo);
    return { contentType: 'image/jpeg', size: made.bytes.length, body: made.bytes };
  }

  /**
   * The stored rendition's key and size, made first when the photo has none yet (a photo's rendition exists
   * once its report was rendered, so this is usually a lookup). Throws PHOTO.UNREADABLE for a broken photo.
   */
  async ensure(photo: InspectionPhoto): Promise<{ key: string; size: number }> {
    if (photo.renditionKey && photo.renditionSizeBytes !== null)
      return { key: photo.renditionKey, size: photo.renditionSizeBytes };
    const made = await this.make(photo);
    return { key: made.key, size: made.bytes.length };
  }

  private async make(photo: InspectionPhoto): Promise<{ key: string; bytes: Buffer }> {
    const made = await this.images.printRendition(
      await this.storage.get(photo.storageKey),
      this.settings.maxSide,
      this.settings.quality,
    );
    const key = renditionKeyOf(photo.storageKey);
    await this.storage.put(key, made.bytes, { contentType: 'image/jpeg', size: made.bytes.length });
    await this.photos.setRendition(
      photo.id,
      { key, sizeBytes: made.bytes.length, sha256: made.sha256 },
      this.clock.now(),
    );
    return { key, bytes: made.bytes };
  }
}
