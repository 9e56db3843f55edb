import type { PdfContent } from '../domain/report/compression.js';

export type CompressionPreset = 'ebook' | 'printer';

export interface PdfCompressor {
  /** False when the tool is not installed (the step is then skipped with a warning, never a crash). */
  available(): Promise<boolean>;
  /** A recompressed copy. Throws on tool failure. */
  compress(pdf: Buffer, preset: CompressionPreset): Promise<Buffer>;
}
export const PdfCompressor = Symbol('PdfCompressor');

export interface PdfInspector {
  /** Page count, text hash and image count of a PDF. */
  inspect(pdf: Buffer): Promise<PdfContent>;
}
export const PdfInspector = Symbol('PdfInspector');

export interface StampMetadata {
  title: string;
  subject: string;
  prettyId: string;
  variant: string;
  htmlSha256: string;
}

export interface PdfStamper {
  /** Writes the report metadata into the PDF; returns it with its page count and SHA-256. */
  stamp(pdf: Buffer, meta: StampMetadata, now: Date): Promise<{ pdf: Buffer; pageCount: number; sha256: string }>;
}
export const PdfStamper = Symbol('PdfStamper');
