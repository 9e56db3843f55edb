import type { Knex } from 'knex';

const CLASSES = "'LCGC','REGULAR','EXTRA','LUXURY','EU_US_SMALL','EU_US_MEDIUM','EU_US_HIGH_END','HYBRID','EV'";

/**
 * Customer inspection requests (with status history and attachment photos), payments through a gateway
 * (with every webhook event stored once), credit packages, credit balances with their ledger, and the
 * reports customers unlocked with credits.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_inspection_requests', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.uuid('vehicle_id').references('id').inTable('customer_vehicles').onDelete('SET NULL');
    t.jsonb('vehicle_description');
    t.text('vehicle_class').notNullable();
    t.uuid('assignee_id').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('preferred_schedule', { useTz: true }).notNullable();
    t.text('notes');
    t.text('status').notNullable().defaultTo('NOT_STARTED');
    t.bigInteger('price_idr').notNullable();
    t.uuid('price_id').references('id').inTable('vehicle_class_prices').onDelete('SET NULL');
    t.text('payment_status').notNullable().defaultTo('UNPAID');
    t.text('payment_waiver_reason');
    t.uuid('inspection_id').references('id').inTable('inspections').onDelete('SET NULL');
    t.uuid('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['customer_id', 'created_at'], 'customer_requests_customer_idx');
    t.index(['status', 'created_at'], 'customer_requests_status_idx');
    t.index(['assignee_id'], 'customer_requests_assignee_idx');
    t.index(['inspection_id'], 'customer_requests_inspection_idx');
  });
  await knex.raw(`ALTER TABLE customer_inspection_requests
    ADD CONSTRAINT customer_requests_status_check CHECK (status IN ('NOT_STARTED','IN_PROGRESS','ON_HOLD','AWAITING_APPROVAL','DONE','CANCELLED')),
    ADD CONSTRAINT customer_requests_payment_check CHECK (payment_status IN ('UNPAID','PENDING','PAID','WAIVED','REFUND_PENDING','REFUNDED')),
    ADD CONSTRAINT customer_requests_class_check CHECK (vehicle_class IN (${CLASSES})),
    ADD CONSTRAINT customer_requests_done_needs_inspection CHECK (status <> 'DONE' OR inspection_id IS NOT NULL)`);

  await knex.schema.createTable('customer_request_status_history', (t) => {
    t.uuid('id').primary();
    t.uuid('request_id').notNullable().references('id').inTable('customer_inspection_requests').onDelete('CASCADE');
    t.text('from_status');
    t.text('to_status').notNullable();
    t.uuid('actor_id');
    t.text('actor_role');
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['request_id', 'created_at'], 'customer_request_history_idx');
  });

  await knex.schema.createTable('customer_request_photos', (t) => {
    t.uuid('id').primary();
    t.uuid('request_id').notNullable().references('id').inTable('customer_inspection_requests').onDelete('CASCADE');
    t.text('type').notNullable();
    t.text('storage_key').notNullable();
    t.text('storage_driver').notNullable();
    t.text('content_type').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.integer('sort_order').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['request_id', 'sort_order'], 'customer_request_photos_idx');
  });

  await knex.schema.createTable('credit_packages', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.integer('credits').notNullable();
    t.bigInteger('price_idr').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    'ALTER TABLE credit_packages ADD CONSTRAINT credit_packages_positive CHECK (credits > 0 AND price_idr > 0)',
  );

  await knex.schema.createTable('payments', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('purpose').notNullable();
    t.uuid('request_id').references('id').inTable('customer_inspection_requests').onDelete('SET NULL');
    t.uuid('credit_package_id').references('id').inTable('credit_packages').onDelete('SET NULL');
    t.integer('credits');
    t.bigInteger('amount_idr').notNullable();
    t.text('currency').notNullable().defaultTo('IDR');
    t.text('gateway').notNullable();
    t.text('invoice_id');
    t.text('invoice_url');
    t.text('status').notNullable().defaultTo('PENDING');
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('paid_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['gateway', 'invoice_id'], { indexName: 'payments_invoice_unique' });
    t.index(['request_id'], 'payments_request_idx');
    t.index(['customer_id', 'created_at'], 'payments_customer_idx');
  });
  await knex.raw(`ALTER TABLE payments
    ADD CONSTRAINT payments_purpose_check CHECK (purpose IN ('INSPECTION_REQUEST','CREDIT_PACKAGE')),
    ADD CONSTRAINT payments_status_check CHECK (status IN ('PENDING','PAID','EXPIRED','FAILED','REFUND_PENDING','REFUNDED'))`);
  // At most one open invoice per request (a retry after expiry creates a new payment).
  await knex.raw(
    `CREATE UNIQUE INDEX payments_one_pending_per_request ON payments (request_id) WHERE status = 'PENDING' AND request_id IS NOT NULL`,
  );

  await knex.schema.createTable('payment_events', (t) => {
    t.uuid('id').primary();
    t.text('gateway').notNullable();
    t.text('invoice_id').notNullable();
    t.text('status').notNullable();
    t.uuid('payment_id');
    t.jsonb('payload').notNullable();
    t.text('outcome').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.unique(['gateway', 'invoice_id', 'status'], { indexName: 'payment_events_once' });
  });

  await knex.schema.createTable('credit_accounts', (t) => {
    t.uuid('customer_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.integer('balance').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw('ALTER TABLE credit_accounts ADD CONSTRAINT credit_accounts_never_negative CHECK (balance >= 0)');

  await knex.schema.createTable('credit_ledger', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('delta').notNullable();
    t.text('reason').notNullable();
    t.uuid('payment_id').references('id').inTable('payments').onDelete('SET NULL');
    t.uuid('inspection_id').references('id').inTable('inspections').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['customer_id', 'created_at'], 'credit_ledger_customer_idx');
  });
  // A paid credit package is credited once.
  await knex.raw(
    `CREATE UNIQUE INDEX credit_ledger_payment_once ON credit_ledger (payment_id) WHERE payment_id IS NOT NULL AND delta > 0`,
  );

  await knex.schema.createTable('report_unlocks', (t) => {
    t.uuid('customer_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.uuid('inspection_id').notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['customer_id', 'inspection_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'report_unlocks',
    'credit_ledger',
    'credit_accounts',
    'payment_events',
    'payments',
    'credit_packages',
    'customer_request_photos',
    'customer_request_status_history',
    'customer_inspection_requests',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
