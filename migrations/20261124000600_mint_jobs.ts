import type { Knex } from 'knex';

/**
 * Archiving: one mint job per NFT (at most one active per inspection), leases on the wallet's UTxOs, and
 * the final transaction hash and asset id on the inspection (written only once the mint is confirmed).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mint_jobs', (t) => {
    t.uuid('id').primary();
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('state').notNullable().defaultTo('QUEUED');
    t.text('trigger').notNullable().defaultTo('manual');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('policy_id').notNullable();
    t.text('asset_name').notNullable();
    t.text('pending_tx_hash');
    t.text('pending_tx_cbor');
    t.specificType('pending_inputs', 'text[]').notNullable().defaultTo('{}');
    t.text('tx_hash');
    t.text('asset_id');
    t.jsonb('metadata');
    t.integer('confirmations').notNullable().defaultTo(0);
    t.text('last_error');
    t.text('last_error_code');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('confirmed_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['state', 'created_at'], 'mint_jobs_state_idx');
    t.index(['inspection_id', 'created_at'], 'mint_jobs_inspection_idx');
  });
  await knex.raw(`ALTER TABLE mint_jobs
    ADD CONSTRAINT mint_jobs_state_check CHECK (state IN ('QUEUED','SUBMITTED','CONFIRMED','FAILED')),
    ADD CONSTRAINT mint_jobs_trigger_check CHECK (trigger IN ('manual','auto')),
    ADD CONSTRAINT mint_jobs_confirmed_check CHECK (state <> 'CONFIRMED' OR (tx_hash IS NOT NULL AND asset_id IS NOT NULL))`);
  // Never two mints in flight for one inspection, and never two confirmed tokens for one asset.
  await knex.raw(
    `CREATE UNIQUE INDEX mint_jobs_one_active ON mint_jobs (inspection_id) WHERE state IN ('QUEUED','SUBMITTED')`,
  );
  await knex.raw(`CREATE UNIQUE INDEX mint_jobs_one_confirmed_asset ON mint_jobs (asset_id) WHERE state = 'CONFIRMED'`);
  await knex.raw('CREATE INDEX mint_jobs_tx_idx ON mint_jobs (tx_hash) WHERE tx_hash IS NOT NULL');

  await knex.schema.createTable('utxo_locks', (t) => {
    t.text('utxo_ref').primary();
    t.uuid('mint_job_id').notNullable();
    t.timestamp('locked_until', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['mint_job_id'], 'utxo_locks_job_idx');
  });

  await knex.schema.alterTable('inspections', (t) => {
    t.text('nft_asset_id');
    t.text('blockchain_tx_hash');
    t.timestamp('archived_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspections', (t) => {
    for (const c of ['nft_asset_id', 'blockchain_tx_hash', 'archived_at']) t.dropColumn(c);
  });
  await knex.schema.dropTableIfExists('utxo_locks');
  await knex.schema.dropTableIfExists('mint_jobs');
}
