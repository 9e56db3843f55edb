export interface RenderRequest {
  /** The report page (same origin as its photos, render token included). */
  url: string;
  /** Images the page must show for the PDF to be complete (the quality gate). */
  expectedImages: number;
  /** page.pdf scale (1 = as designed; the size-control loop lowers it). */
  scale?: number;
  /** When set, photos wider than this are downscaled in the page before printing (size control). */
  downscale?: { maxWidth: number; jpegQuality: number };
}

export interface RenderResult {
  pdf: Buffer;
  /** SHA-256 of the HTML as rendered (after load), embedded in the PDF metadata. */
  htmlSha256: string;
  imagesExpected: number;
  imagesLoaded: number;
  /** Asset URLs that failed (before the retry that may have fixed them). */
  failedAssets: string[];
  attempts: number;
  renderMs: number;
  /** Where the time went: page set-up and load, waiting for images, printing. */
  timings: { loadMs: number; assetsMs: number; printMs: number };
}

export interface PdfRenderer {
  /**
   * Prints a page to PDF. Throws DomainError RENDER.QUALITY_GATE when fewer images loaded than expected
   * after the bounded retries (never returns an incomplete report), RENDER.TIMEOUT, RENDER.UNAVAILABLE.
   */
  render(request: RenderRequest): Promise<RenderResult>;
  /** Closes the browser pool. */
  close(): Promise<void>;
}

export const PdfRenderer = Symbol('PdfRenderer');
