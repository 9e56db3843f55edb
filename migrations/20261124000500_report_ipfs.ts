import type { Knex } from 'knex';

/** Reports are added to IPFS after object storage: a stage of their own and the CID on each stored report. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE pdf_jobs DROP CONSTRAINT pdf_jobs_stage_check,
    ADD CONSTRAINT pdf_jobs_stage_check CHECK (stage IN ('RENDER','STORE','IPFS','RECORD','DONE'))`);
  await knex.schema.alterTable('inspection_reports', (t) => {
    t.text('ipfs_cid');
  });
  await knex.raw('CREATE INDEX inspection_reports_cid_idx ON inspection_reports (ipfs_cid)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS inspection_reports_cid_idx');
  await knex.schema.alterTable('inspection_reports', (t) => {
    t.dropColumn('ipfs_cid');
  });
  await knex.raw(`ALTER TABLE pdf_jobs DROP CONSTRAINT pdf_jobs_stage_check,
    ADD CONSTRAINT pdf_jobs_stage_check CHECK (stage IN ('RENDER','STORE','RECORD','DONE'))`);
}
