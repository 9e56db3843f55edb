import type { Knex } from 'knex';

/**
 * Report jobs with persisted stages (a retry resumes at the failed stage with the artifacts already made)
 * and the stored reports of each inspection with their SHA-256.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('pdf_jobs', (t) => {
    t.text('stage').notNullable().defaultTo('RENDER');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.text('last_error_code');
    t.jsonb('artifacts').notNullable().defaultTo('{}');
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE pdf_jobs
    ADD CONSTRAINT pdf_jobs_state_check CHECK (state IN ('QUEUED','RUNNING','DONE','FAILED')),
    ADD CONSTRAINT pdf_jobs_stage_check CHECK (stage IN ('RENDER','STORE','RECORD','DONE'))`);

  await knex.schema.createTable('inspection_reports', (t) => {
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('variant').notNullable();
    t.text('storage_driver').notNullable();
    t.text('storage_key').notNullable();
    t.text('sha256').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.integer('page_count').notNullable();
    t.text('html_sha256').notNullable();
    t.uuid('pdf_job_id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['inspection_id', 'variant']);
  });
  await knex.raw(
    `ALTER TABLE inspection_reports ADD CONSTRAINT inspection_reports_variant_check CHECK (variant IN ('full','no-docs'))`,
  );
  await knex.raw('CREATE INDEX inspection_reports_sha_idx ON inspection_reports (sha256)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('inspection_reports');
  await knex.raw(
    'ALTER TABLE pdf_jobs DROP CONSTRAINT IF EXISTS pdf_jobs_state_check, DROP CONSTRAINT IF EXISTS pdf_jobs_stage_check',
  );
  await knex.schema.alterTable('pdf_jobs', (t) => {
    for (const c of ['stage', 'attempts', 'last_error', 'last_error_code', 'artifacts', 'started_at', 'finished_at'])
      t.dropColumn(c);
  });
}
