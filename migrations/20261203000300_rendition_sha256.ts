import type { Knex } from 'knex';

/**
 * The SHA-256 of an inspection photo's print rendition, so backups' object manifests and `storage:verify`
 * check renditions like every other object. Nullable: renditions made before this are hashed once by the
 * first manifest that reads them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspection_photos', (t) => {
    t.text('rendition_sha256').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspection_photos', (t) => {
    t.dropColumn('rendition_sha256');
  });
}
