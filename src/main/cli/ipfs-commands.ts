import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { WithdrawPrivateCids, withdrawProgressLine } from '../../application/archive/withdraw-private-cids.js';
import { PUBLIC_VARIANT } from '../../domain/inspection/report.js';
import type { CliCommand } from './context.js';

/**
 * ipfs:withdraw-private: unpins and forgets every full-variant report CID, one JSON line per CID (and per NFT
 * naming one) in the report file, progress on standard error. Exit code 2 when a CID failed.
 */
const withdrawPrivate: CliCommand = async ({ values, config, db, container, out }) => {
  const dryRun = !!values['dry-run'];
  const file =
    values['report-file'] ??
    path.join(config.dataDir, `ipfs-withdrawal-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const total = Number(
    (
      await db
        .knex('inspection_reports')
        .whereNot({ variant: PUBLIC_VARIANT })
        .whereNotNull('ipfs_cid')
        .count({ n: '*' })
    )[0]?.n ?? 0,
  );
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const records = createWriteStream(file, { flags: 'a' });
  const tty = process.stderr.isTTY;
  const nfts: string[] = [];
  const summary = await container.get(WithdrawPrivateCids).run({
    dryRun,
    onRecord: (r, soFar) => {
      records.write(`${JSON.stringify({ ...r, at: new Date().toISOString(), dryRun })}\n`);
      if (r.kind === 'nft')
        nfts.push(
          `${r.assetId ?? '?'} (tx ${r.txHash ?? '?'}, inspection ${r.inspectionId}): ${r.privateCids.map((c) => `${c.variant} ${c.cid}`).join(', ')}`,
        );
      else if (tty) process.stderr.write(`\r${withdrawProgressLine(soFar, total)}`);
      else if (soFar.cids % 50 === 0 || soFar.cids === total)
        process.stderr.write(`${withdrawProgressLine(soFar, total)}\n`);
    },
  });
  records.write(`${JSON.stringify({ kind: 'summary', ...summary, at: new Date().toISOString(), dryRun })}\n`);
  await new Promise<void>((resolve) => records.end(resolve));
  if (tty && total > 0) process.stderr.write('\n');
  out(
    `${dryRun ? 'dry run: ' : ''}${summary.cids} private report CIDs: ${summary.unpinned} unpinned and forgotten, ${summary.wouldUnpin} to withdraw, ${summary.failed} failed. Report: ${file}`,
  );
  out(
    `minted NFTs whose on-chain metadata names a private CID (permanent; for the operator): ${summary.nfts}${nfts.map((n) => `\n  ${n}`).join('')}`,
  );
  return summary.failed > 0 ? 2 : 0;
};

/** ipfs:withdraw-private. */
export const ipfsCommands: Record<string, CliCommand> = { 'ipfs:withdraw-private': withdrawPrivate };
