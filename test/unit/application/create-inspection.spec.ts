import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { UpdateBranchCity } from '../../../src/application/branches/update-branch-city.js';
import { CreateInspection } from '../../../src/application/inspections/create-inspection.js';
import type { TestActor } from '../../support/actors.js';
import { inspectionInput } from '../../support/inspections.js';
import { as, code, rejects, world, type World } from './fixtures.js';

describe('CreateInspection (memory adapters)', () => {
  let w: World;
  let inspector: TestActor;
  let customer: TestActor;
  beforeEach(async () => {
    w = world();
    inspector = await w.actors.create('INSPECTOR');
    customer = await w.actors.create('CUSTOMER');
  });
  afterEach(() => w.cleanup());

  const create = (a: TestActor, over: Parameters<typeof inspectionInput>[0] = {}) =>
    w.c.get(CreateInspection).execute(as(a), inspectionInput(over));
  const vehicleOf = (owner: TestActor) =>
    w.tx((tx) =>
      tx.customerVehicles.create(
        {
          id: randomUUID(),
          customerId: owner.user.id,
          plateNumber: 'AB 1234 CD',
          year: 2019,
          transmission: 'MT',
          bodyType: 'MPV',
          brand: 'Toyota',
          model: 'Avanza',
          colour: null,
          specification: {},
          serviceHistory: [],
          vehicleClass: 'REGULAR',
        },
        w.clock.now(),
      ),
    );

  it("records a NEED_REVIEW inspection in the inspector's branch with the next pretty id of (branch, date), a history row and an audit", async () => {
    const first = await create(inspector, { plateNumber: ' ab1234cd ' });
    expect(first).to.deep.include({
      prettyId: 'YOG-01052025-001',
      status: 'NEED_REVIEW',
      inspectorId: inspector.user.id,
      branchCityId: inspector.user.branchCityId,
      plateNumber: 'AB 1234 CD',
      inspectionDate: '2025-05-01',
      overallRating: 8.5,
      reviewerId: null,
      customerUserId: null,
      customerVehicleId: null,
    });
    expect(first.vehicleData).to.deep.include({ merekKendaraan: 'Toyota', tahun: 2019 });
    expect((await create(inspector)).prettyId).to.equal('YOG-01052025-002');
    expect((await create(inspector, { inspectionDate: '2025-05-02' })).prettyId).to.equal('YOG-02052025-001');
    const history = await w.tx((tx) => tx.inspections.statusHistory(first.id));
    expect(history).to.have.length(1);
    expect(history[0]).to.deep.include({
      inspectionId: first.id,
      fromStatus: null,
      toStatus: 'NEED_REVIEW',
      actorId: inspector.user.id,
      reason: null,
      createdAt: w.clock.now(),
    });
    const audits = await w.audit({ action: 'INSPECTION_CREATED' });
    expect(audits.map((a) => [a.entityId, a.metadata])).to.deep.include([first.id, { prettyId: 'YOG-01052025-001' }]);
  });

  it('without an inspection date takes today in INSPECTION_TIME_ZONE (Asia/Jakarta: already tomorrow at 20:00 UTC)', async () => {
    w.clock.at = new Date('2026-11-24T20:00:00.000Z');
    const i = await create(inspector, { inspectionDate: undefined });
    expect(i.inspectionDate).to.equal('2026-11-25');
    expect(i.prettyId).to.equal('YOG-25112026-001');
  });

  it('empty form sections default to {}; the rating to null', async () => {
    const i = await w.c
      .get(CreateInspection)
      .execute(as(inspector), { plateNumber: 'B 1 X', inspectionDate: '2025-05-01' });
    expect(i).to.deep.include({
      overallRating: null,
      identityDetails: {},
      vehicleData: {},
      equipmentChecklist: {},
      inspectionSummary: {},
      detailedAssessment: {},
      bodyPaintThickness: {},
      notesFontSizes: {},
    });
  });

  it('refuses a bad plate or date before anything is written (VALIDATION.FAILED)', async () => {
    const e = await rejects(create(inspector, { plateNumber: 'XYZ' }), 'VALIDATION.FAILED');
    expect(e.details.map((d) => d.path)).to.deep.equal(['/plateNumber']);
    for (const inspectionDate of ['2025-13-01', '01-05-2025', 'tomorrow'])
      expect(await code(create(inspector, { inspectionDate })), inspectionDate).to.equal('VALIDATION.FAILED');
    expect(await w.audit({ action: 'INSPECTION_CREATED' })).to.deep.equal([]);
  });

  it('needs an active branch city: INSPECTION.INSPECTOR_WITHOUT_BRANCH', async () => {
    const admin = await w.actors.create('ADMIN');
    expect(await code(create(admin)), 'a user without a branch').to.equal('INSPECTION.INSPECTOR_WITHOUT_BRANCH');
    await w.c.get(UpdateBranchCity).execute(as(admin), inspector.user.branchCityId as string, { isActive: false });
    expect(await code(create(inspector))).to.equal('INSPECTION.INSPECTOR_WITHOUT_BRANCH');
  });

  it('a customer link must name a CUSTOMER: INSPECTION.UNKNOWN_CUSTOMER', async () => {
    const admin = await w.actors.create('ADMIN');
    expect(await code(create(inspector, { customerUserId: admin.user.id }))).to.equal('INSPECTION.UNKNOWN_CUSTOMER');
    expect(await code(create(inspector, { customerUserId: randomUUID() }))).to.equal('INSPECTION.UNKNOWN_CUSTOMER');
    expect((await create(inspector, { customerUserId: customer.user.id })).customerUserId).to.equal(customer.user.id);
  });

  it('a vehicle link must name a vehicle of the customer given with it: INSPECTION.UNKNOWN_VEHICLE', async () => {
    const other = await w.actors.create('CUSTOMER');
    const mine = await vehicleOf(customer);
    const theirs = await vehicleOf(other);
    expect(await code(create(inspector, { customerVehicleId: mine.id })), 'without the customer').to.equal(
      'INSPECTION.UNKNOWN_VEHICLE',
    );
    expect(await code(create(inspector, { customerUserId: customer.user.id, customerVehicleId: theirs.id }))).to.equal(
      'INSPECTION.UNKNOWN_VEHICLE',
    );
    expect(
      await code(create(inspector, { customerUserId: customer.user.id, customerVehicleId: randomUUID() })),
    ).to.equal('INSPECTION.UNKNOWN_VEHICLE');
    const linked = await create(inspector, { customerUserId: customer.user.id, customerVehicleId: mine.id });
    expect(linked).to.deep.include({ customerUserId: customer.user.id, customerVehicleId: mine.id });
    expect(
      (await w.tx((tx) => tx.inspections.list({}, { page: 1, pageSize: 10 }))).total,
      'refusals store nothing',
    ).to.equal(1);
  });
});
