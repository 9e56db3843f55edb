/** Size thresholds of report PDFs, in MB (PDF_MIN_RECOMPRESS_MB, PDF_AGGRESSIVE_MB, PDF_TARGET_RANGE_MB, PDF_MAX_SIZE_MB). */
export interface SizePolicy {
  minRecompressMB: number;
  aggressiveMB: number;
  targetMinMB: number;
  targetMaxMB: number;
  maxMB: number;
}

export type CompressionStrategy = 'skip' | 'recompress' | 'aggressive';

export const toMB = (bytes: number): number => Math.round((bytes / 1048576) * 100) / 100;

/** skip below minRecompressMB, recompress up to aggressiveMB, aggressive above. */
export function getCompressionStrategy(
  sizeMB: number,
  p: Pick<SizePolicy, 'minRecompressMB' | 'aggressiveMB'>,
): CompressionStrategy {
  if (sizeMB < p.minRecompressMB) return 'skip';
  if (sizeMB <= p.aggressiveMB) return 'recompress';
  return 'aggressive';
}

/** The re-render ladder for oversize output: lower scale and stronger in-page photo downscaling each step. */
export const RERENDER_STEPS: ReadonlyArray<{ scale: number; maxWidth: number; jpegQuality: number }> = [
  { scale: 0.95, maxWidth: 1600, jpegQuality: 0.8 },
  { scale: 0.85, maxWidth: 1200, jpegQuality: 0.7 },
  { scale: 0.75, maxWidth: 1000, jpegQuality: 0.6 },
];

export interface PdfContent {
  pages: number;
  /** SHA-256 of the extracted text with whitespace normalised. */
  textSha256: string;
  images: number;
}

/**
 * A compressed PDF is only accepted when it kept every page, the text and every image. A re-render at a
 * smaller scale may legitimately need fewer pages, so page count is compared only when asked.
 */
export const sameContent = (a: PdfContent, b: PdfContent, comparePages = true): boolean =>
  (!comparePages || a.pages === b.pages) && a.textSha256 === b.textSha256 && a.images === b.images;

export function parseTargetRange(v: string): { min: number; max: number } | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(v);
  if (!m) return null;
  const min = Number(m[1]);
  const max = Number(m[2]);
  return min < max ? { min, max } : null;
}
