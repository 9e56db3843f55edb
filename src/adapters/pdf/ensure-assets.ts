import type { Page } from 'puppeteer-core';

export interface ImageReport {
  total: number;
  loaded: number;
  broken: string[];
}

const inspectImages = (page: Page): Promise<ImageReport> =>
  page.evaluate(() => {
    const imgs = Array.from(document.images);
    const broken = imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.currentSrc || i.src);
    return { total: imgs.length, loaded: imgs.length - broken.length, broken };
  });

/**
 * Wait until every image is complete (not networkidle alone), check each one decoded (naturalWidth > 0),
 * re-fetch the broken ones once with a cache-busting parameter, and report what is still missing.
 */
export async function ensureAssetsLoaded(page: Page, timeoutMs: number): Promise<ImageReport> {
  const waitAll = () =>
    page
      .waitForFunction(() => Array.from(document.images).every((i) => i.complete), { timeout: timeoutMs, polling: 100 })
      .catch(() => undefined);
  await waitAll();
  const first = await inspectImages(page);
  if (first.broken.length === 0) return first;
  await page.evaluate(() => {
    for (const img of Array.from(document.images)) {
      if (img.complete && img.naturalWidth > 0) continue;
      const u = new URL(img.currentSrc || img.src, location.href);
      u.searchParams.set('retry', String(Date.now()));
      img.src = u.toString();
    }
  });
  await waitAll();
  const second = await inspectImages(page);
  return { ...second, broken: second.broken };
}
