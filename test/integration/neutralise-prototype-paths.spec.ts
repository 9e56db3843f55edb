import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { up } from '../../migrations/20261203000100_neutralise_prototype_paths.js';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { newUser } from '../contract/user-repository.contract.js';
import { useTestDatabase } from '../support/db.js';

describe('migration 20261203000100: stored review edits with a reserved key are neutralised', () => {
  let knex: Knex;
  useTestDatabase((k) => (knex = k));

  it('removes each such entry, keeps it whole in audit_logs, and leaves every other entry alone', async () => {
    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }));
    const now = new Date('2026-12-01T00:00:00Z');
    const branch = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, now);
    const inspector = await p.users.create(
      newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
      now,
    );
    const inspection = await p.inspections.create(
      newInspection({ inspectorId: inspector.id, branchCityId: branch.id }),
      now,
    );
    const entry = (fieldPath: string, newValue: unknown) => ({
      id: randomUUID(),
      inspection_id: inspection.id,
      field_path: fieldPath,
      old_value: null,
      new_value: JSON.stringify(newValue),
      changed_by: inspector.id,
      created_at: now,
    });
    const bad = [
      entry('detailedAssessment.__proto__.polluted', true),
      entry('bodyPaintThickness.constructor.prototype', { polluted: true }),
      entry('vehicleData.prototype', 'x'),
      entry('detailedAssessment.testDrive.rem', { __proto__: null, constructor: { polluted: true } } as unknown),
    ];
    // The fourth holds the key in its value: JSON.stringify of a null-prototype object keeps "constructor".
    expect(bad[3]?.new_value).to.contain('"constructor":');
    const good = [
      entry('vehicleData.merekKendaraan', 'Honda'),
      entry('detailedAssessment.protoType', 'not a reserved key'),
      entry('vehicleData.constructorName', 'PT Astra'),
    ];
    await knex('inspection_change_logs').insert([...bad, ...good]);

    await up(knex);

    const left = (await knex('inspection_change_logs').select('field_path').orderBy('field_path')).map(
      (r: { field_path: string }) => r.field_path,
    );
    expect(left).to.deep.equal([
      'detailedAssessment.protoType',
      'vehicleData.constructorName',
      'vehicleData.merekKendaraan',
    ]);
    const audit = await knex('audit_logs').where({ action: 'CHANGE_LOG_NEUTRALISED' }).orderBy('id');
    expect(audit.map((a: { metadata: { changeLogId: string } }) => a.metadata.changeLogId).sort()).to.deep.equal(
      bad.map((b) => b.id).sort(),
    );
    expect(audit[0]).to.include({ entity: 'inspection', entity_id: inspection.id });
    expect(
      audit.find(
        (a: { metadata: { fieldPath: string } }) => a.metadata.fieldPath === 'detailedAssessment.__proto__.polluted',
      ).metadata,
    ).to.include({ newValue: 'true', changedBy: inspector.id });

    await up(knex);
    expect(
      await knex('audit_logs').where({ action: 'CHANGE_LOG_NEUTRALISED' }).count({ n: '*' }),
      'a second run finds nothing',
    ).to.deep.equal([{ n: 4 }]);
  });
});
