import type { Knex } from 'knex';

/** Identity and access: branch cities, users, login sessions with rotating refresh tokens, audit log. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('branch_cities', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.string('code', 3).notNullable().unique('branch_cities_code_unique');
    t.boolean('is_active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE branch_cities ADD CONSTRAINT branch_cities_code_format CHECK (code ~ '^[A-Z]{3}$')`);

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.text('email');
    t.text('username');
    t.text('name').notNullable();
    t.text('role').notNullable();
    t.boolean('is_active').notNullable().defaultTo(true);
    t.uuid('branch_city_id').references('id').inTable('branch_cities').onDelete('RESTRICT');
    t.text('password_hash');
    t.text('pin_hash');
    t.integer('failed_login_count').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['role', 'is_active'], 'users_role_active_idx');
    t.index(['branch_city_id'], 'users_branch_idx');
    t.index(['created_at'], 'users_created_idx');
  });
  await knex.raw(`
    ALTER TABLE users
      ADD CONSTRAINT users_role_check CHECK (role IN ('SUPERADMIN','ADMIN','REVIEWER','INSPECTOR','CUSTOMER')),
      ADD CONSTRAINT users_email_lower CHECK (email = lower(email)),
      ADD CONSTRAINT users_username_lower CHECK (username = lower(username)),
      ADD CONSTRAINT users_has_login CHECK (email IS NOT NULL OR username IS NOT NULL),
      ADD CONSTRAINT users_inspector_branch CHECK (role <> 'INSPECTOR' OR branch_city_id IS NOT NULL)`);
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (email) WHERE email IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX users_username_unique ON users (username) WHERE username IS NOT NULL');

  await knex.schema.createTable('auth_sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoke_reason');
    t.text('user_agent');
    t.text('ip');
  });
  await knex.raw('CREATE INDEX auth_sessions_user_active_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL');

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.uuid('id').primary();
    t.uuid('session_id').notNullable().references('id').inTable('auth_sessions').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique('refresh_tokens_hash_unique');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['session_id'], 'refresh_tokens_session_idx');
  });

  await knex.schema.createTable('audit_logs', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('actor_id');
    t.text('action').notNullable();
    t.text('entity').notNullable();
    t.text('entity_id');
    t.text('request_id');
    t.text('ip');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at'], 'audit_logs_created_idx');
    t.index(['actor_id', 'created_at'], 'audit_logs_actor_idx');
    t.index(['entity', 'entity_id'], 'audit_logs_entity_idx');
    t.index(['action', 'created_at'], 'audit_logs_action_idx');
  });
  // The audit trail is append-only: the database itself refuses to rewrite history.
  await knex.raw(`
    CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_logs is append-only'; END $$;
    CREATE TRIGGER audit_logs_no_update BEFORE UPDATE OR DELETE ON audit_logs
      FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS audit_logs_no_update ON audit_logs');
  await knex.raw('DROP FUNCTION IF EXISTS audit_logs_append_only()');
  await knex.schema.dropTableIfExists('audit_logs');
  await knex.schema.dropTableIfExists('refresh_tokens');
  await knex.schema.dropTableIfExists('auth_sessions');
  await knex.schema.dropTableIfExists('users');
  await knex.schema.dropTableIfExists('branch_cities');
}
