import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { isDomainError } from '../../src/domain/shared/domain-error.js';
import { useTestDatabase } from '../support/db.js';

/** The unit of work's last line of translation: violations no repository expected become 4xx-kind errors. */
describe('KnexUnitOfWork: unexpected reference and encoding violations are client errors', () => {
  let knex: Knex;
  useTestDatabase((k) => (knex = k));

  const failure = async (work: (trx: Knex) => Promise<unknown>): Promise<unknown> => {
    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }));
    // Reach the transaction's connection through a port the use cases have (the raw query stands in for a
    // repository bug that forgot a check).
    try {
      await p.uow.run(async () => work(knex));
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('a foreign-key violation becomes REFERENCE.INVALID (unprocessable) naming the constraint', async () => {
    const e = await failure((db) =>
      db('inspection_change_logs').insert({
        id: randomUUID(),
        inspection_id: randomUUID(),
        field_path: 'a',
        changed_by: randomUUID(),
        created_at: new Date(),
      }),
    );
    expect(isDomainError(e), String(e)).to.equal(true);
    expect(e).to.include({ code: 'REFERENCE.INVALID', kind: 'unprocessable' });
    expect((e as { details: Array<{ message: string }> }).details[0]?.message).to.match(
      /^violates inspection_change_logs_inspection_id_foreign$/,
    );
  });

  it('a NUL character PostgreSQL refuses becomes VALIDATION.FAILED', async () => {
    const e = await failure((db) => db.raw(`SELECT ?::text AS t`, ['a\u0000b']));
    expect(e).to.include({ code: 'VALIDATION.FAILED', kind: 'validation' });
  });

  it('any other error passes through unchanged', async () => {
    const boom = new Error('boom');
    expect(await failure(async () => Promise.reject(boom))).to.equal(boom);
    const e = await failure((db) => db.raw('SELECT 1/0'));
    expect(isDomainError(e)).to.equal(false);
    expect((e as { code?: string }).code).to.equal('22012');
  });
});
