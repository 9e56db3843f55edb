import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { ImageProcessor, ImageRendition } from '../../ports/image-processor.js';
import type { ByteSource } from '../../ports/object-storage.js';

// Reports are rendered two at a time on two cores; libvips' own thread pool would only compete.
sharp.concurrency(1);

/** Print renditions with sharp/libvips (mozjpeg). */
export class SharpImageProcessor implements ImageProcessor {
  async inspect(source: ByteSource, maxPixels: number, name: string): Promise<void> {
    try {
      // A tiny thumbnail still reads every byte of the image (a JPEG decodes all its blocks, if at 1/8 scale),
      // so truncated or corrupt data fails here; the pixel limit is checked from the header first.
      const pipeline = sharp({ failOn: 'error', limitInputPixels: maxPixels })
        .resize({ width: 16, height: 16, fit: 'inside' })
        .raw();
      const done = pipeline.toBuffer();
      if (Buffer.isBuffer(source)) pipeline.end(source);
      else source.pipe(pipeline);
      await done;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (/pixel limit/i.test(message))
        throw new DomainError('PHOTO.TOO_MANY_PIXELS', 'unprocessable', `${name} has more than ${maxPixels} pixels.`);
      throw new DomainError(
        'PHOTO.UNREADABLE',
        'unprocessable',
        `${name} is not a complete, readable image (${message.split('\n')[0]}).`,
      );
    }
  }

  async printRendition(source: ByteSource, maxSide: number, quality: number): Promise<ImageRendition> {
    try {
      const pipeline = sharp({ failOn: 'error' })
        .rotate()
        .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality, mozjpeg: true });
      const done = pipeline.toBuffer({ resolveWithObject: true });
      if (Buffer.isBuffer(source)) pipeline.end(source);
      else source.pipe(pipeline);
      const { data, info } = await done;
      return {
        bytes: data,
        width: info.width,
        height: info.height,
        sha256: createHash('sha256').update(data).digest('hex'),
      };
    } catch (e) {
      throw new DomainError(
        'PHOTO.UNREADABLE',
        'unprocessable',
        `The photo could not be decoded: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
