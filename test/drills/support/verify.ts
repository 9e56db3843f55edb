/**
 * What "archived" means, checked end to end after a drill: each inspection ARCHIVED by exactly one
 * CONFIRMED mint job, its asset minted on chain by exactly that transaction (metadata carrying both PDFs'
 * hashes and CIDs) and held once in the wallet, both PDFs in object storage with their recorded size, and
 * both in IPFS with bytes hashing to the recorded SHA-256.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Chain } from '../../../src/ports/chain.js';
import type { Ipfs } from '../../../src/ports/ipfs.js';
import type { ObjectStorage } from '../../../src/ports/object-storage.js';

export interface ArchiveCheck {
  knex: Knex;
  storage: Pick<ObjectStorage, 'head'>;
  ipfs: Pick<Ipfs, 'cat' | 'isPinned'>;
  chain: Pick<Chain, 'assetMint' | 'utxosAt'>;
  walletAddress: string;
  ids: string[];
}

export interface ArchiveFigures {
  archived: number;
  assets: number;
  pdfs: number;
  cids: number;
  pdfMB: number;
}

async function sha256Of(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const c of stream) h.update(c as Buffer);
  return h.digest('hex');
}

export async function verifyArchived(c: ArchiveCheck): Promise<ArchiveFigures> {
  const n = c.ids.length;
  const inspections = await c
    .knex('inspections')
    .whereIn('id', c.ids)
    .select('id', 'status', 'nft_asset_id', 'blockchain_tx_hash');
  expect(
    inspections.filter((i) => i.status !== 'ARCHIVED'),
    'every inspection ARCHIVED',
  ).to.deep.equal([]);

  // Exactly one confirmed mint per inspection, N in all, N distinct assets.
  const confirmed = await c.knex('mint_jobs').whereIn('inspection_id', c.ids).where({ state: 'CONFIRMED' });
  expect(confirmed.length, 'CONFIRMED mint jobs').to.equal(n);
  const twice = await c
    .knex('mint_jobs')
    .whereIn('inspection_id', c.ids)
    .where({ state: 'CONFIRMED' })
    .select('inspection_id')
    .count({ n: '*' })
    .groupBy('inspection_id')
    .havingRaw('count(*) > 1');
  expect(twice, 'no inspection with two confirmed mints').to.deep.equal([]);
  expect(new Set(confirmed.map((j) => j.asset_id)).size, 'distinct assets').to.equal(n);
  const byInspection = new Map(inspections.map((i) => [i.id as string, i]));
  const reports = await c
    .knex('inspection_reports')
    .whereIn('inspection_id', c.ids)
    .orderBy(['inspection_id', 'variant']);

  // The wallet receives every NFT: each unit is held exactly once (a second mint would make it 2).
  const held = new Map<string, bigint>();
  for (const u of await c.chain.utxosAt(c.walletAddress))
    for (const [unit, q] of Object.entries(u.assets)) held.set(unit, (held.get(unit) ?? 0n) + q);

  for (const job of confirmed) {
    const i = byInspection.get(job.inspection_id);
    expect(job.asset_id).to.equal(`${job.policy_id}${job.asset_name}`);
    expect(i, 'the job belongs to a drilled inspection').to.not.equal(undefined);
    expect(i?.nft_asset_id, 'inspection carries its asset').to.equal(job.asset_id);
    expect(i?.blockchain_tx_hash, 'inspection carries the mint transaction').to.equal(job.tx_hash);
    const mint = await c.chain.assetMint(job.policy_id, job.asset_name);
    expect(mint, `asset ${job.asset_id} exists on chain`).to.not.equal(null);
    expect(mint?.txHash, "the asset was minted by the job's transaction").to.equal(job.tx_hash);
    expect(held.get(job.asset_id), `wallet holds exactly one ${job.asset_id}`).to.equal(1n);
    const onChain = ((mint?.metadata?.pdf ?? []) as Array<Record<string, unknown>>).map((p) => ({
      variant: p.variant,
      hash: p.hash,
      cid: p.cid ?? null,
    }));
    const mine = reports
      .filter((r) => r.inspection_id === job.inspection_id)
      .map((r) => ({ variant: r.variant, hash: r.sha256, cid: r.ipfs_cid }));
    expect(onChain, 'the NFT metadata names both PDFs by hash, and the public one by CID').to.have.deep.members(mine);
  }

  // 2N PDFs stored; N distinct CIDs in IPFS (the public variant only) with the recorded bytes; the full
  // variant (registration documents) never on IPFS.
  expect(reports.length, 'report PDFs recorded').to.equal(2 * n);
  let bytes = 0;
  for (const r of reports) {
    const head = await c.storage.head(r.storage_key);
    expect(head?.size, `${r.storage_key} stored`).to.equal(Number(r.size_bytes));
    bytes += Number(r.size_bytes);
    if (r.variant !== 'no-docs') {
      expect(r.ipfs_cid, `${r.variant} of ${r.inspection_id} has no CID`).to.equal(null);
      continue;
    }
    expect(await c.ipfs.isPinned(r.ipfs_cid), `${r.ipfs_cid} pinned`).to.equal(true);
    expect(await sha256Of(await c.ipfs.cat(r.ipfs_cid)), `${r.ipfs_cid} holds the PDF`).to.equal(r.sha256);
  }
  const cids = new Set(reports.filter((r) => r.ipfs_cid).map((r) => r.ipfs_cid));
  expect(cids.size, 'distinct public CIDs').to.equal(n);
  return {
    archived: inspections.length,
    assets: confirmed.length,
    pdfs: reports.length,
    cids: cids.size,
    pdfMB: Math.round((bytes / 1048576) * 10) / 10,
  };
}
