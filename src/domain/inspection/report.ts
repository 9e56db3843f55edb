import type { InspectionPhoto } from './photo.js';

/** The two PDF reports of an inspection: everything, or without registration/ownership documents. */
export const REPORT_VARIANTS = ['full', 'no-docs'] as const;
export type ReportVariant = (typeof REPORT_VARIANTS)[number];

export const isReportVariant = (v: unknown): v is ReportVariant =>
  typeof v === 'string' && (REPORT_VARIANTS as readonly string[]).includes(v);

/** Photos printed in a variant, in display order: those marked for the PDF, documents only in "full". */
export function photosForVariant(photos: InspectionPhoto[], variant: ReportVariant): InspectionPhoto[] {
  return photos
    .filter((p) => p.displayInPdf && (variant === 'full' || !p.isDocument))
    .sort((a, b) => a.sortOrder - b.sortOrder);
}

/**
 * The public variant: the only one ever added to IPFS, named by CID in the NFT, served at /ipfs/{cid} and
 * downloadable by customers who unlocked a report. It carries no personal data (see `publicIdentity`).
 * The full variant (with the registration documents) stays private in object storage; the NFT carries
 * its SHA-256 only, so a holder of the full PDF can still prove it authentic.
 */
export const PUBLIC_VARIANT: ReportVariant = 'no-docs';
export const isPublicVariant = (v: ReportVariant): boolean => v === PUBLIC_VARIANT;

/** identityDetails fields a report may print in its public variant: staff and branch, never the customer. */
export const PUBLIC_IDENTITY_FIELDS = ['namaInspektor', 'cabangInspeksi'] as const;

/** The identity details a variant prints: all of them in "full", only PUBLIC_IDENTITY_FIELDS (an allow-list) in the public one. */
export function identityForVariant(details: Record<string, unknown>, variant: ReportVariant): Record<string, unknown> {
  if (!isPublicVariant(variant)) return details;
  return Object.fromEntries(
    PUBLIC_IDENTITY_FIELDS.filter((k) => Object.hasOwn(details, k)).map((k) => [k, details[k]]),
  );
}
