/**
 * Report rendering benchmark (issue "Report PDFs"): 10 reports x 60 photos of 1600x1200, ~10 A4 pages.
 * - naive: a new browser per report, networkidle0, original photos (the legacy service's approach);
 * - pipeline: one warm puppeteer-cluster (headless shell, concurrency 2), print renditions, load + image checks;
 * - floor: page.pdf() alone on an already loaded page.
 * Prints reports per minute, their ratio, per-report time against the floor, PDF sizes, photos present and
 * peak Chromium memory. Targets: ratio >= 8, per-report <= 1.5 x floor, PDF <= 3 MB with 60 photos.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import sharp from 'sharp';
import type { ReportModel } from '../src/application/reports/get-report-model.js';
import { ChromiumPdfRenderer } from '../src/adapters/pdf/chromium-pdf-renderer.js';
import { CHROMIUM_ARGS, findChromium } from '../src/adapters/pdf/chromium-path.js';
import { EAGER_IMAGES_SCRIPT } from '../src/adapters/pdf/page-setup.js';
import { renderReportHtml } from '../src/adapters/http/report/report-template.js';
import type { InspectionPhoto } from '../src/domain/inspection/photo.js';
import { realJpeg } from '../test/support/photos.js';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 10);
const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 60);
/** Long side of the print renditions (PHOTO_RENDITION_MAX_PX; default as in production). */
const RENDITION_PX = Number(process.env.BENCH_RENDITION_PX ?? 800);

function model(): ReportModel {
  const now = new Date();
  const photos: InspectionPhoto[] = Array.from({ length: PHOTOS }, (_, n) => ({
    id: `p${n}`,
    inspectionId: 'i',
    storageKey: '',
    storageDriver: 'fs',
    contentType: 'image/jpeg',
    sizeBytes: 0,
    sha256: '',
    label: `Foto ${n + 1}`,
    category: 'EXTERIOR',
    isMandatory: false,
    needAttention: n % 9 === 0,
    displayInPdf: true,
    isDocument: false,
    sortOrder: n,
    originalName: null,
    renditionKey: null,
    renditionSizeBytes: null,
    renditionSha256: null,
    createdAt: now,
    updatedAt: now,
  }));
  return {
    variant: 'full',
    branch: { code: 'YOG', name: 'Yogyakarta' },
    inspectorName: 'Ina',
    reviewerName: 'Rina',
    photos,
    inspection: {
      id: 'i',
      prettyId: 'YOG-01052025-001',
      status: 'APPROVED',
      inspectorId: 'x',
      reviewerId: 'y',
      branchCityId: 'b',
      plateNumber: 'AB 1234 CD',
      inspectionDate: '2025-05-01',
      overallRating: 8.5,
      customerUserId: null,
      customerVehicleId: null,
      approvedAt: now,
      nftAssetId: null,
      blockchainTxHash: null,
      archivedAt: null,
      createdAt: now,
      updatedAt: now,
      identityDetails: { namaInspektor: 'Ina', namaCustomer: 'Budi' },
      vehicleData: { merekKendaraan: 'Toyota', tipeKendaraan: 'Avanza', tahun: 2019 },
      equipmentChecklist: { bukuService: true, kunciSerep: false },
      inspectionSummary: {
        interiorScore: 8,
        eksteriorScore: 7,
        mesinScore: 9,
        estimasiPerbaikan: [{ namaPart: 'Ban', harga: 850000 }],
      },
      detailedAssessment: { testDrive: { rem: 8 } },
      bodyPaintThickness: { front: 110 },
      notesFontSizes: {},
    },
  };
}

function serve(originals: Buffer[], renditions: Buffer[]): Promise<{ server: Server; origin: string }> {
  const html = (kind: 'orig' | 'print') =>
    renderReportHtml(model(), { photoUrl: (id) => `/${kind}/${id.slice(1)}.jpg` });
  const server = createServer((req, res) => {
    const m = /^\/(orig|print)\/(\d+)\.jpg$/.exec(req.url ?? '');
    if (m) {
      res
        .writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' })
        .end((m[1] === 'orig' ? originals : renditions)[Number(m[2])]);
    } else if (req.url === '/naive.html' || req.url === '/pipeline.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html(req.url === '/naive.html' ? 'orig' : 'print'));
    } else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `127.0.0.1:${(server.address() as { port: number }).port}` }),
    ),
  );
}

/** Sum of RSS of Chromium processes, sampled while `work` runs; returns the peak in MB. */
async function peakChromiumMB<T>(work: () => Promise<T>): Promise<{ result: T; peakMB: number }> {
  let peak = 0;
  const sample = () => {
    let total = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (!/chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) continue;
        const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        total += rss ? Number(rss[1]) : 0;
      } catch {
        /* process ended */
      }
    }
    peak = Math.max(peak, total / 1024);
  };
  const timer = setInterval(sample, 200);
  try {
    return { result: await work(), peakMB: Math.round(peak) };
  } finally {
    clearInterval(timer);
  }
}

function imagesIn(pdf: Buffer): number {
  const file = path.join(os.tmpdir(), `bench-${process.pid}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .slice(2)
    .filter((l) => / image /.test(l)).length;
}

async function main(): Promise<void> {
  const shell = findChromium();
  const full = findChromium('/usr/lib/chromium/chromium');
  if (!shell || !full) {
    console.log('report-render bench skipped: Chromium not installed (make system-deps)');
    return;
  }
  console.log(
    `report-render bench: ${REPORTS} reports x ${PHOTOS} photos 1600x1200, renditions ${RENDITION_PX} px q75 (preparing photos...)`,
  );
  const originals = await Promise.all(Array.from({ length: PHOTOS }, (_, n) => realJpeg(1600, 1200, n + 1, 85)));
  const renditions = await Promise.all(
    originals.map((o) =>
      sharp(o)
        .resize({ width: RENDITION_PX, height: RENDITION_PX, fit: 'inside' })
        .jpeg({ quality: 75, mozjpeg: true })
        .toBuffer(),
    ),
  );
  const { server, origin } = await serve(originals, renditions);
  try {
    // Naive: a new browser per report, networkidle0, original photos.
    const naive = await peakChromiumMB(async () => {
      const t0 = Date.now();
      let last = Buffer.alloc(0);
      for (let r = 0; r < REPORTS; r++) {
        const browser = await puppeteer.launch({ executablePath: full.path, headless: true, args: CHROMIUM_ARGS });
        const page = await browser.newPage();
        await page.goto(`http://${origin}/naive.html`, { waitUntil: 'networkidle0', timeout: 120_000 });
        last = Buffer.from(await page.pdf({ format: 'A4', printBackground: true, timeout: 120_000 }));
        await browser.close();
      }
      return { ms: Date.now() - t0, pdf: last };
    });
    // Pipeline: one warm cluster, renditions, image checks and quality gate.
    const renderer = new ChromiumPdfRenderer({
      concurrency: 2,
      allowedHosts: [origin],
      gotoTimeoutMs: 60_000,
      pdfTimeoutMs: 120_000,
      taskTimeoutMs: 300_000,
      assetTimeoutMs: 60_000,
      slowAssetMs: 60_000,
      attempts: 1,
      log: { info: () => undefined, warn: () => undefined },
    });
    await renderer.render({ url: `http://${origin}/pipeline.html`, expectedImages: PHOTOS }); // warm-up
    const pipeline = await peakChromiumMB(async () => {
      const t0 = Date.now();
      const results = await Promise.all(
        Array.from({ length: REPORTS }, () =>
          renderer.render({ url: `http://${origin}/pipeline.html`, expectedImages: PHOTOS }),
        ),
      );
      const avg = (k: 'loadMs' | 'assetsMs' | 'printMs') =>
        Math.round(results.reduce((s, r) => s + r.timings[k], 0) / results.length);
      console.log(
        `  pipeline timings per report (avg): load ${avg('loadMs')} ms, images ${avg('assetsMs')} ms, print ${avg('printMs')} ms`,
      );
      return { ms: Date.now() - t0, pdf: results[0]?.pdf as Buffer };
    });
    await renderer.close();
    // Floor: the first page.pdf() on a freshly loaded page; with the original 1600 px photos (as in the field
    // notes) and with the renditions the pipeline prints.
    const browser = await puppeteer.launch({
      executablePath: shell.path,
      headless: shell.headless,
      args: CHROMIUM_ARGS,
    });
    const floorOf = async (page: string): Promise<number> => {
      const floors: number[] = [];
      for (let k = 0; k < 3; k++) {
        const p = await browser.newPage();
        await p.evaluateOnNewDocument(EAGER_IMAGES_SCRIPT);
        await p.goto(`http://${origin}/${page}`, { waitUntil: 'load' });
        await p.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
        const t = Date.now();
        await p.pdf({ format: 'A4', printBackground: true });
        floors.push(Date.now() - t);
        await p.close();
      }
      return [...floors].sort((a, b) => a - b)[1] ?? 1;
    };
    const floorMs = await floorOf('naive.html');
    const floorRenditionsMs = await floorOf('pipeline.html');
    await browser.close();
    const perMin = (ms: number) => Math.round((REPORTS / (ms / 60000)) * 10) / 10;
    const perReport = pipeline.result.ms / REPORTS;
    const mb = (b: Buffer) => Math.round((b.length / 1048576) * 100) / 100;
    const rows = [
      [
        'naive (browser per report, networkidle0, originals)',
        `${perMin(naive.result.ms)} reports/min`,
        `${(naive.result.ms / REPORTS / 1000).toFixed(2)} s/report`,
        `${mb(naive.result.pdf)} MB`,
        `${imagesIn(naive.result.pdf)}/${PHOTOS} photos`,
        `peak Chromium ${naive.peakMB} MB`,
      ],
      [
        'pipeline (warm cluster x2, renditions, checks)',
        `${perMin(pipeline.result.ms)} reports/min`,
        `${(perReport / 1000).toFixed(2)} s/report`,
        `${mb(pipeline.result.pdf)} MB`,
        `${imagesIn(pipeline.result.pdf)}/${PHOTOS} photos`,
        `peak Chromium ${pipeline.peakMB} MB`,
      ],
      ['floor: page.pdf on a loaded page, 1600 px originals', '', `${(floorMs / 1000).toFixed(2)} s`, '', '', ''],
      ['floor: page.pdf on a loaded page, renditions', '', `${(floorRenditionsMs / 1000).toFixed(2)} s`, '', '', ''],
    ];
    for (const r of rows) console.log(`  ${(r[0] ?? '').padEnd(55)} ${r.slice(1).filter(Boolean).join(' | ')}`);
    console.log(
      `  speed-up ${(naive.result.ms / pipeline.result.ms).toFixed(1)}x (target >= 8); per-report / floor ${(perReport / floorMs).toFixed(2)} (target <= 1.5; against the renditions floor ${(perReport / floorRenditionsMs).toFixed(2)}); pipeline PDF ${mb(pipeline.result.pdf)} MB (target <= 3)`,
    );
  } finally {
    server.close();
  }
}

await main();
