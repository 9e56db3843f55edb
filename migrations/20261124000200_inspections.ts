import type { Knex } from 'knex';

const SECTIONS = [
  'identity_details',
  'vehicle_data',
  'equipment_checklist',
  'inspection_summary',
  'detailed_assessment',
  'body_paint_thickness',
  'notes_font_sizes',
];

/** Inspections: the aggregate, its per-branch/day numbering, status history, review change log, photos. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inspection_sequences', (t) => {
    t.uuid('branch_city_id').notNullable().references('id').inTable('branch_cities').onDelete('RESTRICT');
    t.date('inspection_date').notNullable();
    t.integer('last_number').notNullable();
    t.primary(['branch_city_id', 'inspection_date']);
  });

  await knex.schema.createTable('inspections', (t) => {
    t.uuid('id').primary();
    t.text('pretty_id').notNullable().unique('inspections_pretty_id_unique');
    t.text('status').notNullable().defaultTo('NEED_REVIEW');
    t.uuid('inspector_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.uuid('reviewer_id').references('id').inTable('users').onDelete('SET NULL');
    t.uuid('branch_city_id').notNullable().references('id').inTable('branch_cities').onDelete('RESTRICT');
    t.text('plate_number').notNullable();
    t.date('inspection_date').notNullable();
    t.decimal('overall_rating', 3, 1);
    t.uuid('customer_user_id').references('id').inTable('users').onDelete('SET NULL');
    // The customer_vehicles table arrives with the customer portal; its foreign key is added then.
    t.uuid('customer_vehicle_id');
    for (const s of SECTIONS) t.jsonb(s).notNullable().defaultTo('{}');
    t.timestamp('approved_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['status'], 'inspections_status_idx');
    t.index(['branch_city_id', 'inspection_date'], 'inspections_branch_date_idx');
    t.index(['inspector_id'], 'inspections_inspector_idx');
    t.index(['created_at'], 'inspections_created_idx');
    t.index(['customer_user_id'], 'inspections_customer_idx');
  });
  await knex.raw(`
    ALTER TABLE inspections
      ADD CONSTRAINT inspections_status_check CHECK (status IN ('NEED_REVIEW','APPROVED','ARCHIVING','ARCHIVED','FAIL_ARCHIVE','DEACTIVATED')),
      ADD CONSTRAINT inspections_rating_range CHECK (overall_rating IS NULL OR (overall_rating >= 0 AND overall_rating <= 10)),
      ADD COLUMN plate_compact text GENERATED ALWAYS AS (upper(regexp_replace(plate_number, '[^A-Za-z0-9]', '', 'g'))) STORED,
      ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        translate(pretty_id, '-', ' ') || ' ' || plate_number || ' ' || upper(regexp_replace(plate_number, '[^A-Za-z0-9]', '', 'g')) || ' ' ||
        coalesce(vehicle_data->>'merekKendaraan', '') || ' ' || coalesce(vehicle_data->>'tipeKendaraan', '') || ' ' ||
        coalesce(identity_details->>'namaCustomer', '') || ' ' || coalesce(identity_details->>'namaInspektor', ''))) STORED`);
  await knex.raw('CREATE INDEX inspections_plate_idx ON inspections (plate_compact)');
  await knex.raw('CREATE INDEX inspections_search_idx ON inspections USING GIN (search)');

  await knex.schema.createTable('inspection_status_history', (t) => {
    t.uuid('id').primary();
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('from_status');
    t.text('to_status').notNullable();
    t.uuid('actor_id');
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['inspection_id', 'created_at'], 'inspection_status_history_idx');
  });

  await knex.schema.createTable('inspection_change_logs', (t) => {
    t.uuid('id').primary();
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('field_path').notNullable();
    t.jsonb('old_value');
    t.jsonb('new_value');
    t.uuid('changed_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['inspection_id', 'field_path', 'created_at'], 'inspection_change_logs_path_idx');
  });

  await knex.schema.createTable('inspection_photos', (t) => {
    t.uuid('id').primary();
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('storage_key').notNullable();
    t.text('storage_driver').notNullable();
    t.text('content_type').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.text('label').notNullable();
    t.text('category').notNullable();
    t.boolean('is_mandatory').notNullable().defaultTo(false);
    t.boolean('need_attention').notNullable().defaultTo(false);
    t.boolean('display_in_pdf').notNullable().defaultTo(true);
    t.boolean('is_document').notNullable().defaultTo(false);
    t.integer('sort_order').notNullable();
    t.text('original_name');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['inspection_id', 'sort_order'], 'inspection_photos_order_idx');
    t.index(['storage_driver', 'id'], 'inspection_photos_driver_idx');
  });

  await knex.schema.createTable('object_deletions', (t) => {
    t.uuid('id').primary();
    t.text('driver').notNullable();
    t.text('key').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['next_attempt_at'], 'object_deletions_due_idx');
  });

  // Durable report requests written by approval in its own transaction; the report issue adds the stages.
  await knex.schema.createTable('pdf_jobs', (t) => {
    t.uuid('id').primary();
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('priority').notNullable();
    t.text('state').notNullable().defaultTo('QUEUED');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['state', 'priority', 'created_at'], 'pdf_jobs_queue_idx');
    t.index(['inspection_id'], 'pdf_jobs_inspection_idx');
  });
  await knex.raw(`ALTER TABLE pdf_jobs ADD CONSTRAINT pdf_jobs_priority_check CHECK (priority IN ('single','bulk'))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'pdf_jobs',
    'object_deletions',
    'inspection_photos',
    'inspection_change_logs',
    'inspection_status_history',
    'inspections',
    'inspection_sequences',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
