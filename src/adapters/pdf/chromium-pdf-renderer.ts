import { createHash } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { Cluster } from 'puppeteer-cluster';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import type { PdfRenderer, RenderRequest, RenderResult } from '../../ports/pdf-renderer.js';
import { CHROMIUM_ARGS, findChromium } from './chromium-path.js';
import { ensureAssetsLoaded } from './ensure-assets.js';
import { loadInspectionPage } from './load-page.js';
import { setupBrowserContext, type AssetEvent, type AssetLog } from './page-setup.js';
import { qualityGate } from './quality-gate.js';
import { renderPdf } from './render-pdf.js';

export interface ChromiumRendererOptions {
  executablePath?: string;
  /** Pages rendered at once (2 on 2 cores; 3 gains nothing there). */
  concurrency: number;
  /** Origins (host:port) Chromium may request: the API itself and configured CDN hosts. */
  allowedHosts: string[];
  gotoTimeoutMs: number;
  pdfTimeoutMs: number;
  /** Whole task (load + assets + print) limit inside the cluster. */
  taskTimeoutMs: number;
  assetTimeoutMs: number;
  slowAssetMs: number;
  /** Render attempts when the quality gate fails (bounded). */
  attempts: number;
  log: AssetLog & { info(message: string, meta?: Record<string, unknown>): void };
}

interface TaskData {
  request: RenderRequest;
}

/**
 * PdfRenderer on one warm puppeteer-cluster of the system Chromium (the headless shell when installed),
 * a fresh browser context per report. Each render: set up the context, load the page, ensure every image
 * loaded (re-fetching broken ones once), pass the quality gate, then print.
 */
export class ChromiumPdfRenderer implements PdfRenderer {
  private cluster: Promise<Cluster<TaskData, RenderResult>> | undefined;
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly o: ChromiumRendererOptions) {
    this.allowed = new Set(o.allowedHosts.map((h) => h.toLowerCase()));
  }

  private start(): Promise<Cluster<TaskData, RenderResult>> {
    this.cluster ??= (async () => {
      const exe = findChromium(this.o.executablePath);
      if (!exe)
        throw new DomainError(
          'RENDER.UNAVAILABLE',
          'unavailable',
          'No Chromium found: install chromium-headless-shell (Debian) or set CHROMIUM_PATH.',
        );
      const cluster = await Cluster.launch({
        puppeteer,
        concurrency: Cluster.CONCURRENCY_CONTEXT,
        maxConcurrency: this.o.concurrency,
        timeout: this.o.taskTimeoutMs,
        retryLimit: 0,
        puppeteerOptions: { executablePath: exe.path, headless: exe.headless, args: CHROMIUM_ARGS },
      });
      await cluster.task(async ({ page, data }) => this.renderOnce(page, data.request));
      this.o.log.info('chromium pool started', { executable: exe.path, concurrency: this.o.concurrency });
      return cluster;
    })();
    return this.cluster;
  }

  private async renderOnce(page: Page, request: RenderRequest): Promise<RenderResult> {
    const started = Date.now();
    const events: AssetEvent[] = [];
    await setupBrowserContext(page, {
      allowedHosts: this.allowed,
      slowMs: this.o.slowAssetMs,
      log: this.o.log,
      events,
    });
    await loadInspectionPage(page, request.url, { gotoTimeoutMs: this.o.gotoTimeoutMs, attempts: 2 });
    const loaded = Date.now();
    const images = await ensureAssetsLoaded(page, this.o.assetTimeoutMs);
    qualityGate(request.expectedImages, images);
    const html = await page.content();
    const assetsDone = Date.now();
    const pdf = await renderPdf(page, {
      scale: request.scale ?? 1,
      timeoutMs: this.o.pdfTimeoutMs,
      downscale: request.downscale,
    });
    return {
      pdf,
      htmlSha256: createHash('sha256').update(html).digest('hex'),
      imagesExpected: request.expectedImages,
      imagesLoaded: images.loaded,
      failedAssets: events.filter((e) => e.error || (e.status ?? 0) >= 400).map((e) => e.url),
      attempts: 1,
      renderMs: Date.now() - started,
      timings: { loadMs: loaded - started, assetsMs: assetsDone - loaded, printMs: Date.now() - assetsDone },
    };
  }

  async render(request: RenderRequest): Promise<RenderResult> {
    const cluster = await this.start();
    let last: unknown;
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      try {
        const r = await cluster.execute({ request });
        return { ...r, attempts: attempt };
      } catch (e) {
        last = e;
        if (!(isDomainError(e) && e.code === 'RENDER.QUALITY_GATE')) break;
        this.o.log.warn('render quality gate failed; retrying', { attempt, error: e.message });
      }
    }
    if (isDomainError(last)) throw last;
    const message = last instanceof Error ? last.message : String(last);
    throw new DomainError(
      /timeout/i.test(message) ? 'RENDER.TIMEOUT' : 'RENDER.FAILED',
      'unavailable',
      `Rendering failed: ${message}`,
    );
  }

  async close(): Promise<void> {
    if (!this.cluster) return;
    const cluster = await this.cluster.catch(() => null);
    this.cluster = undefined;
    if (cluster) {
      await cluster.idle();
      await cluster.close();
    }
  }
}
