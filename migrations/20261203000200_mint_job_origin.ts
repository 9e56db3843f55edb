import type { Knex } from 'knex';

/**
 * The origin of a mint job (issue 14): the W3C trace context and the request id current when the job was
 * created, so the confirmation watcher, which polls outside any job, confirms the mint inside the approval's
 * trace and writes its audit rows with the approval's request id. Nullable: older jobs have none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mint_jobs', (t) => {
    t.text('origin_traceparent').nullable();
    t.text('origin_tracestate').nullable();
    t.text('origin_request_id').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mint_jobs', (t) => {
    t.dropColumn('origin_traceparent');
    t.dropColumn('origin_tracestate');
    t.dropColumn('origin_request_id');
  });
}
