import {
  getCompressionStrategy,
  RERENDER_STEPS,
  sameContent,
  toMB,
  type PdfContent,
  type SizePolicy,
} from '../../domain/report/compression.js';
import type { CompressionPreset, PdfCompressor, PdfInspector } from '../../ports/pdf-tools.js';

export interface SizeStep {
  step: 'render' | 'rerender' | 'ghostscript';
  sizeMB: number;
  scale?: number;
  preset?: CompressionPreset;
  accepted: boolean;
  note?: string;
}

export interface SizeControlled {
  pdf: Buffer;
  sizeMB: number;
  strategy: ReturnType<typeof getCompressionStrategy>;
  rerendered: boolean;
  steps: SizeStep[];
}

export interface SizeLog {
  info(message: string, meta: Record<string, unknown>): void;
  warn(message: string, meta: Record<string, unknown>): void;
}

/** Renders again at a given scale with in-page downscaling of large photos. */
export type Rerender = (step: { scale: number; maxWidth: number; jpegQuality: number }) => Promise<Buffer>;

/**
 * Keeps a report PDF small enough (the seed's PdfOptimizer). Below PDF_MIN_RECOMPRESS_MB nothing happens.
 * Above it, re-render at 0.95 -> 0.85 -> 0.75 with photo downscaling until the size is within the target
 * range; still above PDF_MAX_SIZE_MB, Ghostscript /ebook then /printer. Every size is measured and logged,
 * and a result that lost pages, text or images is discarded.
 */
export class ReportSizeControl {
  constructor(
    private readonly policy: SizePolicy,
    private readonly compressor: PdfCompressor,
    private readonly inspector: PdfInspector,
    private readonly log: SizeLog,
  ) {}

  async apply(rendered: Buffer, rerender: Rerender, label: string): Promise<SizeControlled> {
    const first = toMB(rendered.length);
    const strategy = getCompressionStrategy(first, this.policy);
    const steps: SizeStep[] = [{ step: 'render', sizeMB: first, scale: 1, accepted: true }];
    if (strategy === 'skip') return { pdf: rendered, sizeMB: first, strategy, rerendered: false, steps };

    const reference = await this.inspector.inspect(rendered);
    let best = rendered;
    let rerendered = false;
    // Aggressive sizes start further down the ladder.
    for (const s of RERENDER_STEPS.slice(strategy === 'aggressive' ? 1 : 0)) {
      if (toMB(best.length) <= this.policy.targetMaxMB) break;
      const candidate = await rerender(s);
      const ok = candidate.length < best.length && (await this.keeps(reference, candidate, false));
      steps.push({
        step: 'rerender',
        sizeMB: toMB(candidate.length),
        scale: s.scale,
        accepted: ok,
        note: ok ? undefined : 'larger or lost content',
      });
      if (ok) {
        best = candidate;
        rerendered = true;
      }
    }
    if (toMB(best.length) > this.policy.maxMB) best = await this.ghostscript(best, reference, steps, label);
    const sizeMB = toMB(best.length);
    this.log.info('report size control', {
      label,
      beforeMB: first,
      afterMB: sizeMB,
      strategy,
      rerendered,
      steps: steps.length,
    });
    return { pdf: best, sizeMB, strategy, rerendered, steps };
  }

  /** Still above PDF_MAX_SIZE_MB: Ghostscript /ebook then /printer, each kept only when smaller and complete. */
  private async ghostscript(best: Buffer, reference: PdfContent, steps: SizeStep[], label: string): Promise<Buffer> {
    if (!(await this.compressor.available())) {
      this.log.warn('ghostscript not installed: oversize report kept as is', { label, sizeMB: toMB(best.length) });
      steps.push({
        step: 'ghostscript',
        sizeMB: toMB(best.length),
        accepted: false,
        note: 'ghostscript not installed',
      });
      return best;
    }
    for (const preset of ['ebook', 'printer'] as const) {
      if (toMB(best.length) <= this.policy.maxMB) break;
      const current = best;
      const candidate = await this.compressor.compress(current, preset).catch((e: unknown) => {
        steps.push({
          step: 'ghostscript',
          sizeMB: toMB(current.length),
          preset,
          accepted: false,
          note: `failed: ${e instanceof Error ? e.message : String(e)}`,
        });
        return null;
      });
      if (!candidate) continue;
      const ok = candidate.length < best.length && (await this.keeps(reference, candidate, true));
      steps.push({
        step: 'ghostscript',
        sizeMB: toMB(candidate.length),
        preset,
        accepted: ok,
        note: ok ? undefined : 'larger or lost content',
      });
      if (ok) best = candidate;
    }
    return best;
  }

  private async keeps(reference: PdfContent, candidate: Buffer, comparePages: boolean): Promise<boolean> {
    return sameContent(reference, await this.inspector.inspect(candidate), comparePages);
  }
}
