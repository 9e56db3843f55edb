import type { Knex } from 'knex';

const CLASSES = "'LCGC','REGULAR','EXTRA','LUXURY','EU_US_SMALL','EU_US_MEDIUM','EU_US_HIGH_END','HYBRID','EV'";

/**
 * The customer portal's vehicles (with photos) and the admin-managed price of each vehicle class, kept as
 * a history of effective-from prices. inspections.customer_vehicle_id gets its foreign key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_vehicles', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('plate_number').notNullable();
    t.text('plate_compact').notNullable();
    t.integer('year').notNullable();
    t.text('transmission').notNullable();
    t.text('body_type').notNullable();
    t.text('brand').notNullable();
    t.text('model').notNullable();
    t.text('colour');
    t.jsonb('specification').notNullable().defaultTo('{}');
    t.jsonb('service_history').notNullable().defaultTo('[]');
    t.text('vehicle_class').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['customer_id', 'plate_compact'], { indexName: 'customer_vehicles_plate_unique' });
  });
  await knex.raw(
    `ALTER TABLE customer_vehicles ADD CONSTRAINT customer_vehicles_class_check CHECK (vehicle_class IN (${CLASSES}))`,
  );

  await knex.schema.createTable('customer_vehicle_photos', (t) => {
    t.uuid('id').primary();
    t.uuid('vehicle_id').notNullable().references('id').inTable('customer_vehicles').onDelete('CASCADE');
    t.text('type').notNullable();
    t.text('storage_key').notNullable();
    t.text('storage_driver').notNullable();
    t.text('content_type').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.integer('sort_order').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['vehicle_id', 'sort_order'], 'customer_vehicle_photos_vehicle_idx');
  });
  await knex.raw(
    `ALTER TABLE customer_vehicle_photos ADD CONSTRAINT customer_vehicle_photos_type_check CHECK (type IN ('FRONT','BACK','LEFT','RIGHT','INTERIOR','EXTERIOR','ENGINE','DOCUMENT','OTHER'))`,
  );

  await knex.schema.createTable('vehicle_class_prices', (t) => {
    t.uuid('id').primary();
    t.text('vehicle_class').notNullable();
    t.bigInteger('price_idr').notNullable();
    t.timestamp('effective_from', { useTz: true }).notNullable();
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['vehicle_class', 'effective_from'], { indexName: 'vehicle_class_prices_effective_unique' });
  });
  await knex.raw(`ALTER TABLE vehicle_class_prices ADD CONSTRAINT vehicle_class_prices_class_check CHECK (vehicle_class IN (${CLASSES})),
    ADD CONSTRAINT vehicle_class_prices_positive CHECK (price_idr > 0)`);

  await knex.raw(
    'ALTER TABLE inspections ADD CONSTRAINT inspections_customer_vehicle_fk FOREIGN KEY (customer_vehicle_id) REFERENCES customer_vehicles(id) ON DELETE SET NULL',
  );
  await knex.raw('CREATE INDEX inspections_customer_vehicle_idx ON inspections (customer_vehicle_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS inspections_customer_vehicle_idx');
  await knex.raw('ALTER TABLE inspections DROP CONSTRAINT IF EXISTS inspections_customer_vehicle_fk');
  await knex.schema.dropTableIfExists('vehicle_class_prices');
  await knex.schema.dropTableIfExists('customer_vehicle_photos');
  await knex.schema.dropTableIfExists('customer_vehicles');
}
