/**
 * RENDER of one variant: Chromium renders the report page (again, smaller, while size control asks for it),
 * the PDF is stamped with its metadata and kept in the scratch store. Each Chromium render is a span.
 */
import type { Inspection } from '../../domain/inspection/inspection.js';
import { photosForVariant, type ReportVariant } from '../../domain/inspection/report.js';
import type { ReportJob, VariantArtifact } from '../../domain/report/report-job.js';
import type { Clock } from '../../ports/clock.js';
import type { JobTelemetry } from '../../ports/job-telemetry.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { PdfRenderer, RenderRequest } from '../../ports/pdf-renderer.js';
import type { PdfStamper } from '../../ports/pdf-tools.js';
import type { RenderTokens } from '../../ports/render-tokens.js';
import type { Tracer } from '../../ports/tracer.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { ReportSizeControl, SizeLog } from './size-control.js';

/** What rendering one variant needs (part of ReportJobDeps). */
export interface RenderDeps {
  uow: UnitOfWork;
  renderer: PdfRenderer;
  stamper: PdfStamper;
  sizeControl: ReportSizeControl;
  tokens: RenderTokens;
  /** Durable scratch space of the worker (artifacts between stages). */
  scratch: ObjectStorage;
  clock: Clock;
  log: SizeLog;
  /** Origin under which the API serves report pages to the renderer. */
  reportBaseUrl: string;
  tokenTtlSeconds: number;
  /** The render stage's parts: `compress` (size control, with its re-renders) and `stamp` (metadata, SHA-256). */
  telemetry: JobTelemetry;
}

/** Renders, size-controls, stamps and keeps one variant in the scratch store; returns its artifact. */
export async function renderVariant(
  d: RenderDeps,
  tracer: Tracer,
  job: ReportJob,
  inspection: Inspection,
  variant: ReportVariant,
): Promise<VariantArtifact> {
  const photos = await d.uow.run((tx) => tx.photos.listForInspection(inspection.id));
  const expectedImages = photosForVariant(photos, variant).length;
  const url = () =>
    `${d.reportBaseUrl}/api/v1/reports/${inspection.id}/${variant}?token=${encodeURIComponent(d.tokens.issue(inspection.id, variant, d.clock.now(), d.tokenTtlSeconds))}`;
  const render = (r: RenderRequest) =>
    tracer.inSpan(
      'report.chromium-render',
      { jobId: job.id, inspectionId: inspection.id, variant, scale: r.scale },
      () => d.renderer.render(r),
    );
  const first = await render({ url: url(), expectedImages });
  const label = `${inspection.prettyId}/${variant}`;
  const since = (t: number) => (d.clock.now().getTime() - t) / 1000;
  const compressStart = d.clock.now().getTime();
  const sized = await d.sizeControl.apply(
    first.pdf,
    async (s) =>
      (
        await render({
          url: url(),
          expectedImages,
          scale: s.scale,
          downscale: { maxWidth: s.maxWidth, jpegQuality: s.jpegQuality },
        })
      ).pdf,
    label,
  );
  d.telemetry.stageCompleted('report-render', 'compress', since(compressStart));
  const meta = {
    title: `${inspection.prettyId} - Laporan Inspeksi${variant === 'no-docs' ? ' (tanpa dokumen)' : ''}`,
    subject: `Vehicle inspection report ${inspection.plateNumber}`,
    prettyId: inspection.prettyId,
    variant,
    htmlSha256: first.htmlSha256,
  };
  const stampStart = d.clock.now().getTime();
  const stamped = await d.stamper.stamp(sized.pdf, meta, d.clock.now());
  d.telemetry.stageCompleted('report-render', 'stamp', since(stampStart));
  const scratchKey = `report-jobs/${job.id}/${variant}.pdf`;
  await d.scratch.put(scratchKey, stamped.pdf, { contentType: 'application/pdf', size: stamped.pdf.length });
  d.log.info('report rendered', {
    label,
    sizeMB: sized.sizeMB,
    pages: stamped.pageCount,
    images: first.imagesLoaded,
    renderMs: first.renderMs,
    rerendered: sized.rerendered,
  });
  return {
    scratchKey,
    sha256: stamped.sha256,
    sizeBytes: stamped.pdf.length,
    pageCount: stamped.pageCount,
    htmlSha256: first.htmlSha256,
    imagesLoaded: first.imagesLoaded,
    renderAttempts: first.attempts,
    renderMs: first.renderMs,
    renderTimings: first.timings,
    sizeBeforeMB: sized.steps[0]?.sizeMB ?? sized.sizeMB,
    sizeAfterMB: Math.round((stamped.pdf.length / 1048576) * 100) / 100,
    rerendered: sized.rerendered,
    sizeSteps: sized.steps,
  };
}
