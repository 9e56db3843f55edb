import { expect } from 'chai';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { GhostscriptCompressor, PopplerPdfInspector } from '../../src/adapters/pdf/pdf-tools.js';
import { realJpeg } from '../support/photos.js';

/** A 3-page PDF with text and four large photos, made with pdf-lib. */
async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < 3; p++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Laporan YOG-01052025-001 halaman ${p + 1}`, { x: 40, y: 800, size: 14, font });
    if (p < 2) {
      for (let k = 0; k < 2; k++) {
        const img = await doc.embedJpg(await realJpeg(2000, 1500, p * 2 + k + 1, 95));
        page.drawImage(img, { x: 40, y: 420 - k * 360, width: 500, height: 340 });
      }
    }
  }
  return Buffer.from(await doc.save());
}

describe('PDF tools: Ghostscript compressor and poppler inspector', function () {
  this.timeout(120_000);
  const gs = new GhostscriptCompressor();
  const inspector = new PopplerPdfInspector();

  before(async function () {
    if (!(await gs.available())) this.skip();
  });

  it('inspects pages, text and images of a real PDF', async () => {
    const c = await inspector.inspect(await samplePdf());
    expect(c).to.include({ pages: 3, images: 4 });
    expect(c.textSha256).to.match(/^[0-9a-f]{64}$/);
  });

  it('/ebook makes it smaller while keeping every page, the text and every image', async () => {
    const pdf = await samplePdf();
    const before = await inspector.inspect(pdf);
    const out = await gs.compress(pdf, 'ebook');
    expect(out.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(out.length).to.be.lessThan(pdf.length);
    expect(await inspector.inspect(out)).to.deep.equal(before);
  });

  it('reports a missing binary instead of crashing', async () => {
    expect(await new GhostscriptCompressor('/nonexistent/gs').available()).to.equal(false);
  });
});
