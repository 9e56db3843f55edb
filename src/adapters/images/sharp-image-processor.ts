import sharp from 'sharp';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { ImageProcessor, ImageRendition } from '../../ports/image-processor.js';
import type { ByteSource } from '../../ports/object-storage.js';

// Reports are rendered two at a time on two cores; libvips' own thread pool would only compete.
sharp.concurrency(1);

/** Print renditions with sharp/libvips (mozjpeg). */
export class SharpImageProcessor implements ImageProcessor {
  async printRendition(source: ByteSource, maxSide: number, quality: number): Promise<ImageRendition> {
    try {
      const pipeline = sharp({ failOn: 'error' }).rotate().resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true }).jpeg({ quality, mozjpeg: true });
      const done = pipeline.toBuffer({ resolveWithObject: true });
      if (Buffer.isBuffer(source)) pipeline.end(source);
      else source.pipe(pipeline);
      const { data, info } = await done;
      return { bytes: data, width: info.width, height: info.height };
    } catch (e) {
      throw new DomainError('PHOTO.UNREADABLE', 'unprocessable', `The photo could not be decoded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
