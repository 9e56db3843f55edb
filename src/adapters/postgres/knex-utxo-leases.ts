import type { Knex } from 'knex';
import type { UtxoLeases } from '../../ports/mint-jobs.js';

/**
 * utxo_locks: one row per leased ref. Each ref is taken by a single INSERT ... ON CONFLICT DO UPDATE whose
 * WHERE only lets an expired lease or the job's own one be overwritten, so two jobs never both get a ref.
 */
export class KnexUtxoLeases implements UtxoLeases {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async lease(refs: string[], jobId: string, until: Date, now: Date, max: number): Promise<string[]> {
    const got: string[] = [];
    for (const ref of refs) {
      if (got.length >= max) break;
      if (got.includes(ref)) continue;
      const r = (await this.db.raw(
        `INSERT INTO utxo_locks (utxo_ref, mint_job_id, locked_until, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (utxo_ref) DO UPDATE SET
           mint_job_id = EXCLUDED.mint_job_id,
           locked_until = EXCLUDED.locked_until,
           created_at = CASE WHEN utxo_locks.mint_job_id = EXCLUDED.mint_job_id THEN utxo_locks.created_at ELSE EXCLUDED.created_at END
         WHERE utxo_locks.locked_until <= ? OR utxo_locks.mint_job_id = EXCLUDED.mint_job_id
         RETURNING utxo_ref`,
        [ref, jobId, until, now, now],
      )) as { rows: Array<{ utxo_ref: string }> };
      if (r.rows.length > 0) got.push(ref);
    }
    return got;
  }

  async release(jobId: string, refs?: string[]): Promise<void> {
    await this.db('utxo_locks')
      .where({ mint_job_id: jobId })
      .modify((b) => {
        if (refs) b.whereIn('utxo_ref', refs);
      })
      .delete();
  }

  async leased(now: Date): Promise<Set<string>> {
    const rows = (await this.db('utxo_locks').where('locked_until', '>', now).select('utxo_ref')) as Array<{
      utxo_ref: string;
    }>;
    return new Set(rows.map((r) => r.utxo_ref));
  }
}
