import type { ImageProcessor } from '../../ports/image-processor.js';
import type { ByteSource } from '../../ports/object-storage.js';
import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { PhotoErrors, sniffImageType, type ImageType } from '../../domain/inspection/photo.js';

/** An uploaded file as the driving adapter hands it over (already received, e.g. in a temp file). */
export interface IncomingFile {
  originalName: string | null;
  size: number;
  /** The first bytes, to recognise the type by content. */
  head: Uint8Array;
  sha256: string;
  /** A fresh byte source of the whole file each time it is called. */
  open(): ByteSource;
}

/**
 * Size and image type (by magic bytes) of every file, in order; the caller checks the count first.
 * Errors: PHOTO.TOO_LARGE (413), PHOTO.UNSUPPORTED_TYPE (415).
 */
export function imageTypesOf(files: IncomingFile[], maxBytes: number): ImageType[] {
  return files.map((f) => {
    const name = f.originalName ?? 'file';
    if (f.size > maxBytes) throw InspectionErrors.photoTooLarge(name, Math.round(maxBytes / 1048576));
    const type = sniffImageType(f.head);
    if (!type) throw InspectionErrors.unsupportedPhoto(name);
    return type;
  });
}

/** What decoding an upload needs: the decoder and the pixel limit (PHOTO_MAX_PIXELS). */
export interface ImageCheck {
  images: ImageProcessor;
  maxPixels: number;
}

/**
 * `imageTypesOf`, then every file decoded whole before anything is stored: a JPEG header followed by
 * garbage, a truncated file or a decompression bomb is refused here (422 PHOTO.UNREADABLE /
 * PHOTO.TOO_MANY_PIXELS), not found later by the report job.
 */
export async function checkedImageTypes(
  files: IncomingFile[],
  maxBytes: number,
  check: ImageCheck,
): Promise<ImageType[]> {
  const types = imageTypesOf(files, maxBytes);
  await assertDecodable(files, check);
  return types;
}

/** Decodes every file whole (after the cheap checks of `imageTypesOf`). */
export async function assertDecodable(files: IncomingFile[], check: ImageCheck): Promise<void> {
  for (const f of files) await check.images.inspect(f.open(), check.maxPixels, f.originalName ?? 'file');
}

/** What an upload of photos allows: its multipart field, how many files, how large each. */
export interface UploadLimits {
  field: string;
  maxFiles: number;
  maxBytes: number;
  /** The PHOTO.NO_FILE message, when it should say more than "Attach at least one photo." */
  required?: string;
}

/**
 * The cheap checks of every photo upload (inspection, vehicle and request photos), in this order so that
 * the same request always gets the same answer: none (400 PHOTO.NO_FILE), too many (400 PHOTO.TOO_MANY),
 * then each file's size (413) and type by content (415). Returns the types in file order.
 */
export function checkUploadShape(files: IncomingFile[], limits: UploadLimits): ImageType[] {
  if (files.length === 0) throw PhotoErrors.noFile(limits.field, limits.required);
  if (files.length > limits.maxFiles) throw PhotoErrors.tooMany(limits.maxFiles, limits.field);
  return imageTypesOf(files, limits.maxBytes);
}

/** `checkUploadShape`, then every file decoded whole (422 PHOTO.UNREADABLE / PHOTO.TOO_MANY_PIXELS). */
export async function checkUploads(
  files: IncomingFile[],
  limits: UploadLimits,
  check: ImageCheck,
): Promise<ImageType[]> {
  const types = checkUploadShape(files, limits);
  await assertDecodable(files, check);
  return types;
}
