import type { InspectionPhoto } from './photo.js';

/** The two PDF reports of an inspection: everything, or without registration/ownership documents. */
export const REPORT_VARIANTS = ['full', 'no-docs'] as const;
export type ReportVariant = (typeof REPORT_VARIANTS)[number];

export const isReportVariant = (v: unknown): v is ReportVariant => typeof v === 'string' && (REPORT_VARIANTS as readonly string[]).includes(v);

/** Photos printed in a variant, in display order: those marked for the PDF, documents only in "full". */
export function photosForVariant(photos: InspectionPhoto[], variant: ReportVariant): InspectionPhoto[] {
  return photos.filter((p) => p.displayInPdf && (variant === 'full' || !p.isDocument)).sort((a, b) => a.sortOrder - b.sortOrder);
}
