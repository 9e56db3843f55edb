import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';

type Row = Record<string, unknown>;

export class KnexPendingDeletions implements PendingDeletions {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async enqueue(items: Array<{ driver: string; key: string }>, now: Date): Promise<void> {
    if (items.length === 0) return;
    await this.db('object_deletions').insert(
      items.map((i) => ({ id: randomUUID(), driver: i.driver, key: i.key, next_attempt_at: now, created_at: now })),
    );
  }

  async due(now: Date, limit: number, driver?: string): Promise<PendingDeletion[]> {
    const rows = await this.db('object_deletions')
      .where('next_attempt_at', '<=', now)
      .modify((b) => {
        if (driver !== undefined) b.where({ driver });
      })
      .orderBy([{ column: 'next_attempt_at' }, { column: 'created_at' }])
      .limit(limit);
    return rows.map((r: Row) => ({
      id: r.id as string,
      driver: r.driver as string,
      key: r.key as string,
      attempts: r.attempts as number,
      lastError: (r.last_error as string | null) ?? null,
      nextAttemptAt: r.next_attempt_at as Date,
    }));
  }

  async done(id: string): Promise<void> {
    await this.db('object_deletions').where({ id }).delete();
  }

  async failed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db('object_deletions')
      .where({ id })
      .update({
        attempts: this.db.raw('attempts + 1'),
        last_error: error.slice(0, 1000),
        next_attempt_at: nextAttemptAt,
      });
  }

  async count(): Promise<number> {
    const [{ n }] = (await this.db('object_deletions').count({ n: '*' })) as [{ n: number }];
    return Number(n);
  }
}
