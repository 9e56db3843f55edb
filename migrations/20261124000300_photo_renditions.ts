import type { Knex } from 'knex';

/** Print renditions of photos (long side ~1200 px JPEG), stored beside the original, made once per photo. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspection_photos', (t) => {
    t.text('rendition_key');
    t.bigInteger('rendition_size_bytes');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspection_photos', (t) => {
    t.dropColumn('rendition_key');
    t.dropColumn('rendition_size_bytes');
  });
}
