import type { MintJob } from '../../domain/archive/mint-job.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import type { IsoDate } from '../../domain/inspection/pretty-id.js';
import type { ReportVariant } from '../../domain/inspection/report.js';
import type { InspectionStatus } from '../../domain/inspection/status.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import { VerifyErrors } from '../../domain/verify/verify-errors.js';
import type { Chain } from '../../ports/chain.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { MintJobStore } from '../../ports/mint-jobs.js';
import type { InspectionReports } from '../../ports/report-jobs.js';
import type { IncomingFile } from '../photos/incoming-file.js';

export interface VerifiedReport {
  prettyId: string;
  variant: ReportVariant;
  inspectionDate: IsoDate;
  status: InspectionStatus;
  ipfsCid: string | null;
}

export interface ChainCheck {
  /** The transaction that minted the asset (as the chain says; the mint job's when the chain has no such asset). */
  txHash: string;
  /** policyId + assetName (hex). */
  assetId: string;
  policyId: string;
  assetName: string;
  network: string;
  /** The SHA-256 the NFT's metadata carries for this report variant; null when the chain has none. */
  onChainHash: string | null;
  hashMatches: boolean;
  checkedAt: Date;
}

export interface VerificationResult {
  /** The hash asked about, lowercase hex. */
  sha256: string;
  /** True only when the file is a report we issued AND its NFT on chain carries the same hash. */
  authentic: boolean;
  /** The report this hash belongs to; null when no report of ours has this hash. */
  report: VerifiedReport | null;
  /** What the chain says; null when the report was never minted (or is unknown). */
  chain: ChainCheck | null;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const PDF_MAGIC = Buffer.from('%PDF-', 'ascii');

/** A CIP-25 string: longer ones are stored as a list of chunks that readers join. */
const metadataText = (v: unknown): string | null => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string')) return v.join('');
  return null;
};

export interface MetadataPdf {
  variant: string | null;
  alg: string | null;
  hash: string | null;
  cid: string | null;
}

/** The `pdf` entries of an asset's CIP-25 metadata ({variant, alg, hash, cid?}; chunked strings joined). */
export function pdfEntriesOf(metadata: Record<string, unknown> | null): MetadataPdf[] {
  const pdfs = metadata?.pdf;
  if (!Array.isArray(pdfs)) return [];
  return pdfs
    .filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object' && !Array.isArray(entry))
    .map((e) => ({
      variant: metadataText(e.variant),
      alg: e.alg === undefined ? 'sha256' : metadataText(e.alg),
      hash: metadataText(e.hash),
      cid: metadataText(e.cid),
    }));
}

/** The hash the asset's CIP-25 metadata gives for one report variant ({variant, alg: sha256, hash, cid}). */
export function onChainHashOf(metadata: Record<string, unknown> | null, variant: string): string | null {
  const entry = pdfEntriesOf(metadata).find(
    (e) => e.variant === variant && e.alg?.toLowerCase() === 'sha256' && e.hash !== null,
  );
  return entry?.hash ?? null;
}

/** How long answers that asked the chain are reused per hash, and how many are kept (oldest dropped first). */
export interface VerifyCacheSettings {
  ttlMs: number;
  maxEntries: number;
}

/**
 * Public verification of a report PDF by its SHA-256: is it a report we issued, and does the NFT minted
 * for it carry the same hash on chain? `authentic` needs both; the database alone never makes a file
 * authentic. A chain that cannot be asked is an error (kind unavailable), never a guess. An answer that
 * asked the chain is reused for the same hash for `cache.ttlMs` (its `chain.checkedAt` says when the chain
 * was asked), so one hash repeated cannot hammer the chain provider; errors are never reused. The cache is
 * in process memory, bounded by `cache.maxEntries`.
 */
export class VerifyReport {
  private readonly answers = new Map<string, { until: number; result: VerificationResult }>();

  constructor(
    private readonly inspections: InspectionRepository,
    private readonly reports: InspectionReports,
    private readonly mintJobs: MintJobStore,
    private readonly chain: Chain,
    private readonly now: () => Date = () => new Date(),
    private readonly cache: VerifyCacheSettings = { ttlMs: 0, maxEntries: 0 },
  ) {}

  /** An uploaded file: must be a PDF (by content); its SHA-256 was computed while it was received. */
  async executeForFile(file: Pick<IncomingFile, 'head' | 'sha256'>): Promise<VerificationResult> {
    const head = Buffer.from(file.head);
    if (head.length < PDF_MAGIC.length || !head.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC))
      throw VerifyErrors.notAPdf();
    return this.execute({ sha256: file.sha256 });
  }

  async execute(input: { sha256: string }): Promise<VerificationResult> {
    if (typeof input.sha256 !== 'string' || !SHA256_HEX.test(input.sha256)) throw VerifyErrors.invalidHash();
    const sha256 = input.sha256.toLowerCase();
    const t = this.now().getTime();
    const cached = this.answers.get(sha256);
    if (cached && cached.until > t) return cached.result;
    if (cached) this.answers.delete(sha256);
    const result = await this.answer(sha256);
    if (result.chain && this.cache.ttlMs > 0 && this.cache.maxEntries > 0) {
      // A Map iterates in insertion order: the first key is the oldest answer.
      while (this.answers.size >= this.cache.maxEntries)
        this.answers.delete(this.answers.keys().next().value as string);
      this.answers.set(sha256, { until: t + this.cache.ttlMs, result });
    }
    return result;
  }

  private async answer(sha256: string): Promise<VerificationResult> {
    const found = await this.findReport(sha256);
    if (!found) return { sha256, authentic: false, report: null, chain: null };
    const { stored, inspection, mint } = found;
    const report: VerifiedReport = {
      prettyId: inspection.prettyId,
      variant: stored.variant,
      inspectionDate: inspection.inspectionDate,
      status: inspection.status,
      ipfsCid: stored.ipfsCid,
    };
    if (!mint) return { sha256, authentic: false, report, chain: null };

    // Errors (CHAIN.UNAVAILABLE, DEPENDENCY.CIRCUIT_OPEN) propagate: no answer is better than a wrong one.
    const onChain = await this.chain.assetMint(mint.policyId, mint.assetName);
    const onChainHash = onChain ? onChainHashOf(onChain.metadata, stored.variant) : null;
    const hashMatches = onChainHash !== null && onChainHash.toLowerCase() === sha256;
    return {
      sha256,
      authentic: hashMatches,
      report,
      chain: {
        txHash: onChain?.txHash ?? mint.txHash ?? mint.pendingTxHash ?? '',
        assetId: mint.assetId ?? `${mint.policyId}${mint.assetName}`,
        policyId: mint.policyId,
        assetName: mint.assetName,
        network: this.chain.network,
        onChainHash,
        hashMatches,
        checkedAt: this.now(),
      },
    };
  }

  /**
   * The stored report with this hash, its inspection and its confirmed mint (if any). Should several
   * reports share the hash, a minted one is preferred, then the variant order of the database.
   */
  private async findReport(
    sha256: string,
  ): Promise<{ stored: StoredReport; inspection: Inspection; mint: MintJob | null } | null> {
    const stored = await this.reports.findBySha256(sha256);
    if (stored.length === 0) return null;
    const confirmed = await this.mintJobs.confirmedFor([...new Set(stored.map((r) => r.inspectionId))]);
    // confirmedFor lists oldest confirmation first: the latest confirmed mint of an inspection wins.
    const mintOf = new Map<string, MintJob>(confirmed.map((j) => [j.inspectionId, j]));
    const ordered = [
      ...stored.filter((r) => mintOf.has(r.inspectionId)),
      ...stored.filter((r) => !mintOf.has(r.inspectionId)),
    ];
    for (const r of ordered) {
      const inspection = await this.inspections.findById(r.inspectionId);
      if (inspection) return { stored: r, inspection, mint: mintOf.get(r.inspectionId) ?? null };
    }
    return null;
  }
}
