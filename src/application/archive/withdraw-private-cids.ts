import { isPublicVariant, type ReportVariant } from '../../domain/inspection/report.js';
import type { Ipfs } from '../../ports/ipfs.js';
import type { MintJobStore } from '../../ports/mint-jobs.js';
import type { InspectionReports } from '../../ports/report-jobs.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { pdfEntriesOf } from '../verify/verify-report.js';

export type WithdrawOutcome = 'unpinned' | 'would-unpin' | 'failed';

/** One private report's CID, withdrawn (or, in a dry run, to withdraw). */
export interface CidRecord {
  kind: 'cid';
  inspectionId: string;
  variant: ReportVariant;
  cid: string;
  /** Whether the node had it pinned before (null when the node could not say). */
  wasPinned: boolean | null;
  outcome: WithdrawOutcome;
  error?: string;
}

/** A minted NFT whose on-chain metadata names a private variant's CID: it cannot be changed, only reported. */
export interface NftRecord {
  kind: 'nft';
  inspectionId: string;
  mintJobId: string;
  assetId: string | null;
  txHash: string | null;
  privateCids: Array<{ variant: string; cid: string }>;
}

export interface WithdrawSummary {
  cids: number;
  unpinned: number;
  wouldUnpin: number;
  failed: number;
  /** Minted NFTs whose metadata carries a private CID. */
  nfts: number;
}

export interface WithdrawOptions {
  dryRun: boolean;
  /** Called once per record (the CLI appends it to the report file and draws the progress line). */
  onRecord(record: CidRecord | NftRecord, soFar: WithdrawSummary): void | Promise<void>;
  pageSize?: number;
}

/**
 * Withdraws from IPFS every private report (the full variant, with the registration documents) added when
 * both variants were published: unpins its CID on this node, then forgets the CID in the database with an
 * audit row (REPORT_CID_WITHDRAWN), one report at a time. Resumable: a withdrawn report no longer names a
 * CID, so a second run continues with the rest; a failed one is retried by the next run. Then lists the
 * minted NFTs whose metadata names such a CID: metadata on chain is permanent, so the operator gets the
 * list (asset, transaction) rather than a fix. Content already fetched by other IPFS nodes cannot be
 * recalled either; that is in the threat model.
 */
export class WithdrawPrivateCids {
  constructor(
    private readonly reports: InspectionReports,
    private readonly mintJobs: MintJobStore,
    private readonly ipfs: Ipfs,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async run(o: WithdrawOptions): Promise<WithdrawSummary> {
    const summary: WithdrawSummary = { cids: 0, unpinned: 0, wouldUnpin: 0, failed: 0, nfts: 0 };
    const pageSize = o.pageSize ?? 100;
    let after: string | null = null;
    for (;;) {
      const page = await this.reports.listPrivateWithCid(after, pageSize);
      if (page.length === 0) break;
      after = page[page.length - 1]?.inspectionId ?? null;
      for (const r of page) {
        const record = await this.withdrawOne(r.inspectionId, r.variant, r.ipfsCid as string, o.dryRun);
        summary.cids++;
        if (record.outcome === 'unpinned') summary.unpinned++;
        if (record.outcome === 'would-unpin') summary.wouldUnpin++;
        if (record.outcome === 'failed') summary.failed++;
        await o.onRecord(record, { ...summary });
      }
    }
    for (let p = 1; ; p++) {
      const confirmed = await this.mintJobs.list({ state: ['CONFIRMED'] }, { page: p, pageSize: 100 });
      for (const job of confirmed.items) {
        const privateCids = pdfEntriesOf(job.metadata)
          .filter((e) => e.variant !== null && e.cid !== null && !isPublicVariant(e.variant as ReportVariant))
          .map((e) => ({ variant: e.variant as string, cid: e.cid as string }));
        if (privateCids.length === 0) continue;
        summary.nfts++;
        await o.onRecord(
          {
            kind: 'nft',
            inspectionId: job.inspectionId,
            mintJobId: job.id,
            assetId: job.assetId,
            txHash: job.txHash,
            privateCids,
          },
          { ...summary },
        );
      }
      if (confirmed.items.length === 0 || p * confirmed.pageSize >= confirmed.total) break;
    }
    return summary;
  }

  private async withdrawOne(
    inspectionId: string,
    variant: ReportVariant,
    cid: string,
    dryRun: boolean,
  ): Promise<CidRecord> {
    const base = { kind: 'cid' as const, inspectionId, variant, cid };
    const wasPinned = await this.ipfs.isPinned(cid).catch(() => null);
    if (dryRun) return { ...base, wasPinned, outcome: 'would-unpin' };
    try {
      await this.ipfs.unpin(cid);
      await this.uow.run(async (tx) => {
        const now = this.clock.now();
        if (await tx.reports.clearCid(inspectionId, variant, cid)) {
          await tx.audit.record(
            {
              actorId: null,
              action: 'REPORT_CID_WITHDRAWN',
              entity: 'inspection',
              entityId: inspectionId,
              metadata: { variant, cid, wasPinned },
            },
            now,
          );
        }
      });
      return { ...base, wasPinned, outcome: 'unpinned' };
    } catch (e) {
      return { ...base, wasPinned, outcome: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  }
}

/** A one-line progress line for the terminal (or a plain line per step when not a TTY). */
export function withdrawProgressLine(s: WithdrawSummary, total: number): string {
  return `${s.cids}/${total} private CIDs: unpinned ${s.unpinned}, dry-run ${s.wouldUnpin}, failed ${s.failed}; NFTs naming one: ${s.nfts}`;
}
