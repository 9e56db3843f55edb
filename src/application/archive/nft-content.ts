import { MintErrors } from '../../domain/archive/mint-job.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import { isPublicVariant, PUBLIC_VARIANT, REPORT_VARIANTS } from '../../domain/inspection/report.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import type { NftContent, PlateHasher } from '../../ports/nft-minter.js';

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;

/**
 * What the inspection's NFT says: the report's identity, the vehicle, the hash of every PDF variant (so the
 * full one, which never leaves object storage, can still be proved), the CID of the public variant only,
 * and the plate only as a keyed hash. The image is the public (no-docs) report on IPFS.
 */
export function nftContentOf(inspection: Inspection, reports: StoredReport[], plates: PlateHasher): NftContent {
  const pdfs = REPORT_VARIANTS.map((variant) => reports.find((r) => r.variant === variant));
  if (pdfs.some((r) => !r || (isPublicVariant(r.variant) && !r.ipfsCid))) throw MintErrors.reportsMissing();
  const stored = pdfs as StoredReport[];
  const publicPdf = stored.find((r) => r.variant === PUBLIC_VARIANT) as StoredReport;
  const vehicle = inspection.vehicleData ?? {};
  return {
    name: `CAR-dano ${inspection.prettyId}`,
    image: `ipfs://${publicPdf.ipfsCid}`,
    prettyId: inspection.prettyId,
    inspectionDate: inspection.inspectionDate,
    rating: inspection.overallRating,
    make: text(vehicle.merekKendaraan),
    model: text(vehicle.tipeKendaraan),
    pdfs: stored.map((r) =>
      isPublicVariant(r.variant)
        ? { variant: r.variant, sha256: r.sha256, cid: r.ipfsCid as string }
        : { variant: r.variant, sha256: r.sha256 },
    ),
    plateHash: plates.hash(inspection.plateNumber),
  };
}
