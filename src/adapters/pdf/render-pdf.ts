import type { Page } from 'puppeteer-core';

export interface PdfOptions {
  scale: number;
  timeoutMs: number;
  downscale?: { maxWidth: number; jpegQuality: number };
}

/**
 * Size control inside the page: photos wider than maxWidth are redrawn on a canvas and re-encoded as JPEG.
 * Small images (logos, icons: under 200 px) are never touched.
 */
async function downscaleImages(page: Page, maxWidth: number, quality: number): Promise<number> {
  return page.evaluate(
    async (max: number, q: number) => {
      let changed = 0;
      for (const img of Array.from(document.images)) {
        if (img.naturalWidth <= max || img.naturalWidth < 200) continue;
        const canvas = document.createElement('canvas');
        canvas.width = max;
        canvas.height = Math.round((img.naturalHeight * max) / img.naturalWidth);
        canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
        const done = new Promise((r) => img.addEventListener('load', r, { once: true }));
        img.src = canvas.toDataURL('image/jpeg', q);
        await done;
        changed++;
      }
      return changed;
    },
    maxWidth,
    quality,
  );
}

/** Prints the loaded page as A4 with page numbers in the footer. */
export async function renderPdf(page: Page, o: PdfOptions): Promise<Buffer> {
  if (o.downscale) await downscaleImages(page, o.downscale.maxWidth, o.downscale.jpegQuality);
  const pdf = await page.pdf({
    format: 'A4',
    printBackground: true,
    preferCSSPageSize: true,
    scale: o.scale,
    timeout: o.timeoutMs,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate:
      '<div style="font-size:8px;width:100%;text-align:center;color:#8a94a6"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
  });
  return Buffer.from(pdf);
}
