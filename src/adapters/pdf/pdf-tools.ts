import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import type { PdfContent } from '../../domain/report/compression.js';
import type { CompressionPreset, PdfCompressor, PdfInspector } from '../../ports/pdf-tools.js';

const run = promisify(execFile);

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-pdf-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Ghostscript pdfwrite. LeaveColorUnchanged: /ebook took 60 s without it on a 25 MB report, 9.6 s with it. */
export class GhostscriptCompressor implements PdfCompressor {
  constructor(
    private readonly binary = 'gs',
    private readonly timeoutMs = 300_000,
  ) {}

  async available(): Promise<boolean> {
    try {
      await run(this.binary, ['--version'], { timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  }

  compress(pdf: Buffer, preset: CompressionPreset): Promise<Buffer> {
    return withTemp(async (dir) => {
      const input = path.join(dir, 'in.pdf');
      const output = path.join(dir, 'out.pdf');
      await writeFile(input, pdf);
      await run(
        this.binary,
        [
          '-q',
          '-dBATCH',
          '-dNOPAUSE',
          '-dSAFER',
          '-sDEVICE=pdfwrite',
          `-dPDFSETTINGS=/${preset}`,
          '-sColorConversionStrategy=LeaveColorUnchanged',
          '-dCompatibilityLevel=1.5',
          `-sOutputFile=${output}`,
          input,
        ],
        { timeout: this.timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      );
      return readFile(output);
    });
  }
}

/** Page count (pdf-lib), text hash (poppler pdftotext) and image count (poppler pdfimages). */
export class PopplerPdfInspector implements PdfInspector {
  inspect(pdf: Buffer): Promise<PdfContent> {
    return withTemp(async (dir) => {
      const file = path.join(dir, 'doc.pdf');
      await writeFile(file, pdf);
      const [doc, text, images] = await Promise.all([
        PDFDocument.load(pdf, { updateMetadata: false }),
        run('pdftotext', ['-q', file, '-'], { maxBuffer: 64 * 1024 * 1024 }),
        run('pdfimages', ['-list', file], { maxBuffer: 16 * 1024 * 1024 }),
      ]);
      // Whitespace, line breaks and the "n / total" page footers move with the print scale; the words must not.
      const normalised = text.stdout.replace(/^\s*\d+ \/ \d+\s*$/gm, '').replace(/\s+/g, '');
      return {
        pages: doc.getPageCount(),
        textSha256: createHash('sha256').update(normalised).digest('hex'),
        images: images.stdout
          .trim()
          .split('\n')
          .slice(2)
          .filter((l) => / image /.test(l)).length,
      };
    });
  }
}
