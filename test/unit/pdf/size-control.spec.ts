import { expect } from 'chai';
import { ReportSizeControl } from '../../../src/application/reports/size-control.js';
import {
  getCompressionStrategy,
  parseTargetRange,
  sameContent,
  type PdfContent,
  type SizePolicy,
} from '../../../src/domain/report/compression.js';
import type { CompressionPreset, PdfCompressor, PdfInspector } from '../../../src/ports/pdf-tools.js';
import { memoryLogger } from '../../support/logs.js';

const MB = 1048576;
const policy: SizePolicy = { minRecompressMB: 50, aggressiveMB: 120, targetMinMB: 50, targetMaxMB: 100, maxMB: 100 };
/** A "PDF" of a given size whose content is described in its first bytes (test double of the tools). */
const pdf = (mb: number, content = 'p3-t1-i5') =>
  Buffer.concat([Buffer.from(content.padEnd(16, ' ')), Buffer.alloc(Math.round(mb * MB) - 16)]);
const inspector: PdfInspector = {
  inspect: async (b: Buffer): Promise<PdfContent> => {
    const [p, t, i] = b.subarray(0, 16).toString().trim().split('-');
    return { pages: Number(p?.slice(1)), textSha256: String(t), images: Number(i?.slice(1)) };
  },
};
const compressor = (
  sizes: Partial<Record<CompressionPreset, number>>,
  installed = true,
  content?: string,
): PdfCompressor & { calls: string[] } => ({
  calls: [],
  available: async () => installed,
  async compress(_b, preset) {
    this.calls.push(preset);
    return pdf(sizes[preset] ?? 999, content);
  },
});

describe('report size control', () => {
  it('picks skip / recompress / aggressive from the configured thresholds', () => {
    expect(getCompressionStrategy(10, policy)).to.equal('skip');
    expect(getCompressionStrategy(49.99, policy)).to.equal('skip');
    expect(getCompressionStrategy(50, policy)).to.equal('recompress');
    expect(getCompressionStrategy(120, policy)).to.equal('recompress');
    expect(getCompressionStrategy(120.01, policy)).to.equal('aggressive');
    expect(parseTargetRange('50-100')).to.deep.equal({ min: 50, max: 100 });
    expect(parseTargetRange('100-50')).to.equal(null);
  });

  it('compares pages only when asked (a smaller scale may need fewer pages)', () => {
    const a = { pages: 3, textSha256: 'x', images: 5 };
    expect(sameContent(a, { ...a, pages: 2 })).to.equal(false);
    expect(sameContent(a, { ...a, pages: 2 }, false)).to.equal(true);
    expect(sameContent(a, { ...a, images: 4 }, false)).to.equal(false);
  });

  it('leaves small reports alone', async () => {
    const c = compressor({});
    const r = await new ReportSizeControl(policy, c, inspector, memoryLogger().logger).apply(
      pdf(2),
      async () => expect.fail('no re-render'),
      'x',
    );
    expect(r).to.include({ strategy: 'skip', rerendered: false, sizeMB: 2 });
    expect(c.calls).to.deep.equal([]);
  });

  it('re-renders down the ladder until within the target range, logging every size', async () => {
    const scales: number[] = [];
    const sizes = [110, 90];
    const logs = memoryLogger();
    const r = await new ReportSizeControl(policy, compressor({}), inspector, logs.logger).apply(
      pdf(115),
      async (s) => {
        scales.push(s.scale);
        return pdf(sizes.shift() as number, 'p2-t1-i5');
      },
      'YOG-1',
    );
    expect(scales).to.deep.equal([0.95, 0.85]);
    expect(r).to.include({ strategy: 'recompress', rerendered: true, sizeMB: 90 });
    expect(r.steps.map((s) => [s.step, s.sizeMB, s.accepted])).to.deep.equal([
      ['render', 115, true],
      ['rerender', 110, true],
      ['rerender', 90, true],
    ]);
    expect(logs.lines().at(-1)).to.include({
      message: 'report size control',
      beforeMB: 115,
      afterMB: 90,
      rerendered: true,
    });
  });

  it('discards a re-render that lost images, then falls back to Ghostscript, keeping only content-preserving output', async () => {
    const c = compressor({ ebook: 95 });
    const r = await new ReportSizeControl(policy, c, inspector, memoryLogger().logger).apply(
      pdf(130),
      async () => pdf(80, 'p3-t1-i4'),
      'YOG-2',
    );
    expect(r.steps.filter((s) => s.step === 'rerender').every((s) => !s.accepted)).to.equal(true);
    expect(c.calls).to.deep.equal(['ebook']);
    expect(r).to.include({ strategy: 'aggressive', sizeMB: 95, rerendered: false });
    const lossy = compressor({ ebook: 60, printer: 70 }, true, 'p3-t2-i5');
    const kept = await new ReportSizeControl(policy, lossy, inspector, memoryLogger().logger).apply(
      pdf(130),
      async () => pdf(140),
      'YOG-3',
    );
    expect(lossy.calls).to.deep.equal(['ebook', 'printer']);
    expect(kept.sizeMB, 'text changed: both compressions discarded').to.equal(130);
  });

  it('warns and keeps the PDF when Ghostscript is not installed', async () => {
    const logs = memoryLogger();
    const r = await new ReportSizeControl(policy, compressor({}, false), inspector, logs.logger).apply(
      pdf(130),
      async () => pdf(140),
      'YOG-4',
    );
    expect(r.sizeMB).to.equal(130);
    expect(r.steps.at(-1)).to.include({ step: 'ghostscript', accepted: false, note: 'ghostscript not installed' });
    expect(logs.raw()).to.contain('ghostscript not installed');
  });
});
