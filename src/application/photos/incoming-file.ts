import type { ByteSource } from '../../ports/object-storage.js';
import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { sniffImageType, type ImageType } from '../../domain/inspection/photo.js';

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
