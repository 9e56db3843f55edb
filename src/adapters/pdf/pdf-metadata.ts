import { createHash } from 'node:crypto';
import { PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { PdfStamper, StampMetadata } from '../../ports/pdf-tools.js';

// pdf-lib keeps getInfoDict private; the trailer's Info entry is the same dictionary.
const infoDict = (doc: PDFDocument): PDFDict => doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);

export interface ReportMetadata {
  title: string;
  subject: string;
  prettyId: string;
  variant: string;
  htmlSha256: string;
}

/**
 * pdf-lib post-processing: title, subject, keywords and producer, plus the inspection's pretty id and the
 * SHA-256 of the rendered HTML as their own Info entries (so a verifier can read them back), and the page
 * count.
 */
export async function stampReport(
  pdf: Uint8Array,
  m: ReportMetadata,
  now: Date,
): Promise<{ pdf: Buffer; pageCount: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(m.title, { showInWindowTitleBar: true });
  doc.setSubject(m.subject);
  doc.setKeywords([m.prettyId, `variant:${m.variant}`, `html-sha256:${m.htmlSha256}`]);
  doc.setProducer('CAR-dano report renderer');
  doc.setCreator('CAR-dano');
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  const info = infoDict(doc);
  info.set(PDFName.of('PrettyId'), PDFString.of(m.prettyId));
  info.set(PDFName.of('ReportVariant'), PDFString.of(m.variant));
  info.set(PDFName.of('HtmlSha256'), PDFString.of(m.htmlSha256));
  return { pdf: Buffer.from(await doc.save()), pageCount: doc.getPageCount() };
}

/** Reads back what stampReport wrote (tests, verification). */
export async function readReportMetadata(
  pdf: Uint8Array,
): Promise<{ title?: string; keywords?: string; prettyId?: string; htmlSha256?: string; pageCount: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const info = infoDict(doc);
  const text = (k: string) => (info.get(PDFName.of(k)) as PDFString | undefined)?.decodeText();
  return {
    title: doc.getTitle(),
    keywords: doc.getKeywords(),
    prettyId: text('PrettyId'),
    htmlSha256: text('HtmlSha256'),
    pageCount: doc.getPageCount(),
  };
}

/** PdfStamper on pdf-lib. */
export class PdfLibStamper implements PdfStamper {
  async stamp(
    pdf: Buffer,
    meta: StampMetadata,
    now: Date,
  ): Promise<{ pdf: Buffer; pageCount: number; sha256: string }> {
    const r = await stampReport(pdf, meta, now);
    return { ...r, sha256: createHash('sha256').update(r.pdf).digest('hex') };
  }
}
