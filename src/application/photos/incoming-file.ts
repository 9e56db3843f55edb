import type { ByteSource } from '../../ports/object-storage.js';

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
