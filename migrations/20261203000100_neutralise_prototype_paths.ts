import type { Knex } from 'knex';

/**
 * Neutralises review edits stored before the API refused reserved keys: change-log entries whose path has a
 * `__proto__`, `constructor` or `prototype` segment, or whose new value holds such a key. Applying one at
 * approval wrote onto Object.prototype and stopped the process, again after every restart. Each entry is
 * deleted (so approval can go ahead) and kept whole in an audit row (action CHANGE_LOG_NEUTRALISED), and
 * the count is printed. Forward only: the entries are not put back.
 */
export const UNSAFE_PATH = String.raw`(^|\.)(__proto__|constructor|prototype)(\.|$)`;
export const UNSAFE_VALUE_KEY = String.raw`"(__proto__|constructor|prototype)"[[:space:]]*:`;

interface Row {
  id: string;
  inspection_id: string;
  field_path: string;
  old_value: unknown;
  new_value: unknown;
  changed_by: string;
  created_at: Date;
}

export async function up(knex: Knex): Promise<void> {
  const rows = (await knex('inspection_change_logs')
    .whereRaw('field_path ~ ?', [UNSAFE_PATH])
    .orWhereRaw('new_value::text ~ ?', [UNSAFE_VALUE_KEY])
    .orderBy('created_at')) as Row[];
  if (rows.length === 0) return;
  await knex('audit_logs').insert(
    rows.map((r) => ({
      actor_id: null,
      action: 'CHANGE_LOG_NEUTRALISED',
      entity: 'inspection',
      entity_id: r.inspection_id,
      metadata: JSON.stringify({
        reason: 'reserved key (__proto__, constructor or prototype) in a review edit',
        changeLogId: r.id,
        fieldPath: r.field_path,
        oldValue: JSON.stringify(r.old_value ?? null).slice(0, 2000),
        newValue: JSON.stringify(r.new_value ?? null).slice(0, 2000),
        changedBy: r.changed_by,
        changedAt: r.created_at,
      }),
    })),
  );
  await knex('inspection_change_logs')
    .whereIn(
      'id',
      rows.map((r) => r.id),
    )
    .delete();
  console.error(
    `migration neutralise_prototype_paths: removed ${rows.length} review edit(s) with a reserved key, kept in audit_logs as CHANGE_LOG_NEUTRALISED: ` +
      rows
        .map((r) => `${r.inspection_id} ${r.field_path}`)
        .join('; ')
        .slice(0, 2000),
  );
}

export async function down(): Promise<void> {
  // Nothing to undo: the neutralised entries stay in audit_logs.
}
