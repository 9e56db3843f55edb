import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { AddRequestPhotos } from '../../../src/application/inspection-requests/add-request-photos.js';
import { AssignInspectionRequest } from '../../../src/application/inspection-requests/assign-inspection-request.js';
import { CancelMyInspectionRequest } from '../../../src/application/inspection-requests/cancel-my-inspection-request.js';
import { ChangeInspectionRequestStatus } from '../../../src/application/inspection-requests/change-inspection-request-status.js';
import { CreateInspectionRequestForCustomer } from '../../../src/application/inspection-requests/create-inspection-request-for-customer.js';
import { CreateMyInspectionRequest } from '../../../src/application/inspection-requests/create-my-inspection-request.js';
import { GetInspectionRequest } from '../../../src/application/inspection-requests/get-inspection-request.js';
import { GetMyInspectionRequest } from '../../../src/application/inspection-requests/get-my-inspection-request.js';
import { LinkRequestInspection } from '../../../src/application/inspection-requests/link-request-inspection.js';
import { ListMyInspectionRequests } from '../../../src/application/inspection-requests/list-my-inspection-requests.js';
import { ListRequestPhotos } from '../../../src/application/inspection-requests/list-request-photos.js';
import { MAX_REQUEST_PHOTOS, REQUEST_ENTITY } from '../../../src/application/inspection-requests/deps.js';
import { WaiveRequestPayment } from '../../../src/application/inspection-requests/waive-request-payment.js';
import type { CreateRequestInput } from '../../../src/application/inspection-requests/create-request.js';
import { SetClassPrice } from '../../../src/application/pricing/set-class-price.js';
import { CreateRequestPayment } from '../../../src/application/payments/create-request-payment.js';
import { HandlePaymentWebhook } from '../../../src/application/payments/handle-payment-webhook.js';
import { SetUserActive } from '../../../src/application/users/set-user-active.js';
import type {
  CustomerInspectionRequest,
  CustomerInspectionStatus,
} from '../../../src/domain/customer/inspection-request.js';
import type { CustomerVehicle } from '../../../src/domain/customer/vehicle.js';
import { CustomerInspectionHistory } from '../../../src/ports/customer-history.js';
import type { TestActor } from '../../support/actors.js';
import { fakeImageBytes, imageBytes } from '../../support/inspections.js';
import { as, code, DAY, fileOf, keysUnder, rejects, storedInspection, world, type World } from './fixtures.js';

describe('inspection request use cases (memory adapters)', () => {
  let w: World;
  let customer: TestActor;
  let other: TestActor;
  let admin: TestActor;
  let regularPriceId: string;

  async function setUp(env: Record<string, string> = {}) {
    w = world({ env });
    customer = await w.actors.create('CUSTOMER');
    other = await w.actors.create('CUSTOMER');
    admin = await w.actors.create('ADMIN');
    regularPriceId = (await w.c.get(SetClassPrice).execute(null, { vehicleClass: 'REGULAR', priceIdr: 350000 })).id;
    await w.c.get(SetClassPrice).execute(null, { vehicleClass: 'LUXURY', priceIdr: 900000 });
  }
  beforeEach(() => setUp());
  afterEach(() => w.cleanup());

  const tomorrow = () => new Date(w.clock.now().getTime() + DAY).toISOString();
  const described = (over: Partial<CreateRequestInput> = {}): CreateRequestInput => ({
    vehicleClass: 'REGULAR',
    vehicleDescription: { plateNumber: 'AB 1234 CD', brand: 'Toyota' },
    preferredSchedule: tomorrow(),
    ...over,
  });
  const createMine = (a: TestActor, input: CreateRequestInput = described()) =>
    w.c.get(CreateMyInspectionRequest).execute(as(a), input);
  const stored = (id: string) => w.tx((tx) => tx.inspectionRequests.findById(id)) as Promise<CustomerInspectionRequest>;
  const history = (id: string) => w.tx((tx) => tx.inspectionRequests.statusHistory(id));
  const move = (id: string, to: CustomerInspectionStatus, reason: string | null = null, by: TestActor = admin) =>
    w.c.get(ChangeInspectionRequestStatus).execute(as(by), id, to, reason);
  const vehicleOf = (owner: TestActor, over: Partial<CustomerVehicle> = {}) =>
    w.tx((tx) =>
      tx.customerVehicles.create(
        {
          id: randomUUID(),
          customerId: owner.user.id,
          plateNumber: `B ${1000 + Math.floor(Math.random() * 8999)} XY`,
          year: 2020,
          transmission: 'AT',
          bodyType: 'SUV',
          brand: 'Toyota',
          model: 'Fortuner',
          colour: null,
          specification: {},
          serviceHistory: [],
          vehicleClass: 'LUXURY',
          ...over,
        },
        w.clock.now(),
      ),
    );

  describe('creating a request', () => {
    it("for one of the customer's vehicles: NOT_STARTED and UNPAID, the vehicle's class and the price in force, a history row and a CREATE audit", async () => {
      const v = await vehicleOf(customer);
      const r = await createMine(customer, {
        vehicleId: v.id,
        preferredSchedule: tomorrow(),
        notes: '  gate code 1234  ',
      });
      expect(r).to.deep.include({
        customerId: customer.user.id,
        vehicleId: v.id,
        vehicleDescription: null,
        vehicleClass: 'LUXURY',
        priceIdr: 900000,
        status: 'NOT_STARTED',
        paymentStatus: 'UNPAID',
        assigneeId: null,
        inspectionId: null,
        notes: 'gate code 1234',
        createdBy: customer.user.id,
      });
      const rows = await history(r.id);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.deep.include({
        requestId: r.id,
        fromStatus: null,
        toStatus: 'NOT_STARTED',
        actorId: customer.user.id,
        actorRole: 'CUSTOMER',
        reason: null,
      });
      const [audit] = await w.audit({ entity: REQUEST_ENTITY, action: 'CREATE' });
      expect(audit).to.deep.include({ actorId: customer.user.id, entityId: r.id });
      expect(audit?.metadata).to.deep.include({
        customerId: customer.user.id,
        vehicleClass: 'LUXURY',
        priceIdr: 900000,
        onBehalf: false,
      });
    });

    it('for a described car: the class given, the description kept, a blank note stored as null', async () => {
      const r = await createMine(customer, described({ notes: '   ' }));
      expect(r).to.deep.include({
        vehicleId: null,
        vehicleClass: 'REGULAR',
        priceIdr: 350000,
        priceId: regularPriceId,
        notes: null,
      });
      expect(r.vehicleDescription).to.deep.equal({ plateNumber: 'AB 1234 CD', brand: 'Toyota' });
    });

    it('needs exactly one of a vehicle id, or a class with a description: REQUEST.VEHICLE_REQUIRED', async () => {
      const v = await vehicleOf(customer);
      const s = tomorrow();
      for (const input of [
        { preferredSchedule: s },
        { vehicleId: v.id, vehicleClass: 'REGULAR' as const, preferredSchedule: s },
        { vehicleClass: 'REGULAR' as const, preferredSchedule: s },
        { vehicleDescription: { brand: 'Honda' }, preferredSchedule: s },
        { vehicleId: v.id, vehicleDescription: { brand: 'Honda' }, preferredSchedule: s },
      ]) {
        expect(await code(createMine(customer, input)), JSON.stringify(input)).to.equal('REQUEST.VEHICLE_REQUIRED');
      }
      expect((await w.c.get(ListMyInspectionRequests).execute(as(customer), {}, {})).total).to.equal(0);
    });

    it('the schedule must lie after now and within the horizon', async () => {
      const now = w.clock.now().getTime();
      const horizon = w.config.customer.scheduleHorizonDays;
      expect(
        await code(createMine(customer, described({ preferredSchedule: new Date(now - 60_000).toISOString() }))),
      ).to.equal('REQUEST.SCHEDULE_IN_PAST');
      expect(await code(createMine(customer, described({ preferredSchedule: new Date(now).toISOString() })))).to.equal(
        'REQUEST.SCHEDULE_IN_PAST',
      );
      expect(
        await code(
          createMine(customer, described({ preferredSchedule: new Date(now + horizon * DAY + 1).toISOString() })),
        ),
      ).to.equal('REQUEST.SCHEDULE_TOO_FAR');
      expect(
        await code(createMine(customer, described({ preferredSchedule: new Date(now + horizon * DAY).toISOString() }))),
      ).to.equal('OK');
    });

    it("another customer's vehicle or an unknown one is VEHICLE.NOT_FOUND", async () => {
      const theirs = await vehicleOf(other);
      expect(await code(createMine(customer, { vehicleId: theirs.id, preferredSchedule: tomorrow() }))).to.equal(
        'VEHICLE.NOT_FOUND',
      );
      expect(await code(createMine(customer, { vehicleId: randomUUID(), preferredSchedule: tomorrow() }))).to.equal(
        'VEHICLE.NOT_FOUND',
      );
    });

    it('a class without a price in force (none, or only a future one) is REQUEST.PRICE_NOT_SET', async () => {
      expect(await code(createMine(customer, described({ vehicleClass: 'EV' })))).to.equal('REQUEST.PRICE_NOT_SET');
      await w.c.get(SetClassPrice).execute(null, {
        vehicleClass: 'EV',
        priceIdr: 500000,
        effectiveFrom: new Date(w.clock.now().getTime() + 2 * DAY),
      });
      expect(await code(createMine(customer, described({ vehicleClass: 'EV' })))).to.equal('REQUEST.PRICE_NOT_SET');
      w.clock.advance(2 * DAY);
      expect((await createMine(customer, described({ vehicleClass: 'EV' }))).priceIdr).to.equal(500000);
    });

    it('a price changed later does not change the snapshot of a request already made', async () => {
      const r = await createMine(customer);
      await w.c.get(SetClassPrice).execute(null, {
        vehicleClass: 'REGULAR',
        priceIdr: 400000,
        effectiveFrom: new Date(w.clock.now().getTime() + 1000),
      });
      w.clock.advance(2000);
      expect((await stored(r.id)).priceIdr).to.equal(350000);
      expect((await createMine(customer)).priceIdr).to.equal(400000);
    });

    it('the open-request quota counts open requests only (CUSTOMER_MAX_OPEN_REQUESTS)', async () => {
      w.cleanup();
      await setUp({ CUSTOMER_MAX_OPEN_REQUESTS: '2' });
      const first = await createMine(customer);
      await createMine(customer);
      expect(await code(createMine(customer))).to.equal('REQUEST.QUOTA_EXCEEDED');
      expect(await code(createMine(other)), 'per customer').to.equal('OK');
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), first.id, null);
      expect(await code(createMine(customer)), 'a cancelled request no longer counts').to.equal('OK');
    });

    it('an admin creates one on behalf of an active customer only: REQUEST.UNKNOWN_CUSTOMER otherwise', async () => {
      const make = (customerId: string) =>
        w.c.get(CreateInspectionRequestForCustomer).execute(as(admin), customerId, described());
      const r = await make(customer.user.id);
      expect(r).to.deep.include({ customerId: customer.user.id, createdBy: admin.user.id });
      expect((await history(r.id))[0]).to.deep.include({ actorId: admin.user.id, actorRole: 'ADMIN' });
      expect((await w.audit({ action: 'CREATE', entityId: r.id }))[0]?.metadata).to.deep.include({
        onBehalf: true,
        customerId: customer.user.id,
      });
      expect(await code(make(admin.user.id)), 'not a customer').to.equal('REQUEST.UNKNOWN_CUSTOMER');
      expect(await code(make(randomUUID()))).to.equal('REQUEST.UNKNOWN_CUSTOMER');
      await w.c.get(SetUserActive).execute(as(admin), other.user.id, false);
      expect(await code(make(other.user.id)), 'inactive').to.equal('REQUEST.UNKNOWN_CUSTOMER');
    });
  });

  describe('reading', () => {
    it("a customer lists and reads only their own requests; someone else's is REQUEST.NOT_FOUND, staff read any", async () => {
      const mine = await createMine(customer);
      const theirs = await createMine(other);
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), (await createMine(customer)).id, null);
      const list = await w.c.get(ListMyInspectionRequests).execute(as(customer), {}, {});
      expect(list.total).to.equal(2);
      expect(list.items.every((r) => r.customerId === customer.user.id)).to.equal(true);
      expect(
        (await w.c.get(ListMyInspectionRequests).execute(as(customer), { status: ['CANCELLED'] }, {})).total,
      ).to.equal(1);
      const detail = await w.c.get(GetMyInspectionRequest).execute(as(customer), mine.id);
      expect(detail.request.id).to.equal(mine.id);
      expect(detail.statusHistory.map((h) => h.toStatus)).to.deep.equal(['NOT_STARTED']);
      expect(detail.photos).to.deep.equal([]);
      expect(await code(w.c.get(GetMyInspectionRequest).execute(as(customer), theirs.id))).to.equal(
        'REQUEST.NOT_FOUND',
      );
      expect(await code(w.c.get(ListRequestPhotos).execute(as(customer), theirs.id))).to.equal('REQUEST.NOT_FOUND');
      expect((await w.c.get(GetInspectionRequest).execute(theirs.id)).request.customerId).to.equal(other.user.id);
      expect(await code(w.c.get(GetInspectionRequest).execute(randomUUID()))).to.equal('REQUEST.NOT_FOUND');
    });
  });

  describe('the status workflow', () => {
    it("a customer cancels a NOT_STARTED request of theirs without a reason; not someone else's, not twice, not once work started", async () => {
      const r = await createMine(customer);
      expect(await code(w.c.get(CancelMyInspectionRequest).execute(as(other), r.id, null))).to.equal(
        'REQUEST.NOT_FOUND',
      );
      const cancelled = await w.c.get(CancelMyInspectionRequest).execute(as(customer), r.id, '  ');
      expect(cancelled.status).to.equal('CANCELLED');
      expect((await history(r.id)).at(-1)).to.deep.include({
        fromStatus: 'NOT_STARTED',
        toStatus: 'CANCELLED',
        actorId: customer.user.id,
        actorRole: 'CUSTOMER',
        reason: null,
      });
      expect((await w.audit({ action: 'STATUS_CHANGE', entityId: r.id }))[0]?.metadata).to.deep.include({
        from: 'NOT_STARTED',
        to: 'CANCELLED',
        actorRole: 'CUSTOMER',
      });
      expect(await code(w.c.get(CancelMyInspectionRequest).execute(as(customer), r.id, null))).to.equal(
        'REQUEST.INVALID_TRANSITION',
      );
      const held = await createMine(customer);
      await move(held.id, 'ON_HOLD', 'customer unreachable');
      expect(
        await code(w.c.get(CancelMyInspectionRequest).execute(as(customer), held.id, null)),
        'ON_HOLD -> CANCELLED is for admins',
      ).to.equal('REQUEST.TRANSITION_FORBIDDEN');
    });

    it('guards in order: unknown move 409, wrong role 403, reason 400, payment 409, inspection 409', async () => {
      const r = await createMine(customer);
      const inspector = await w.actors.create('INSPECTOR');
      expect(await code(move(r.id, 'DONE'))).to.equal('REQUEST.INVALID_TRANSITION');
      expect(await code(move(r.id, 'IN_PROGRESS', null, inspector))).to.equal('REQUEST.TRANSITION_FORBIDDEN');
      expect(await code(move(r.id, 'ON_HOLD', null))).to.equal('REQUEST.REASON_REQUIRED');
      expect(await code(move(r.id, 'ON_HOLD', ' ab '))).to.equal('REQUEST.REASON_REQUIRED');
      expect(await code(move(r.id, 'CANCELLED', null)), 'an admin cancels with a reason').to.equal(
        'REQUEST.REASON_REQUIRED',
      );
      expect(await code(move(r.id, 'IN_PROGRESS'))).to.equal('REQUEST.PAYMENT_REQUIRED');
      await w.c.get(WaiveRequestPayment).execute(as(admin), r.id, 'partner garage');
      expect((await move(r.id, 'IN_PROGRESS')).status).to.equal('IN_PROGRESS');
      expect((await move(r.id, 'AWAITING_APPROVAL')).status).to.equal('AWAITING_APPROVAL');
      expect(await code(move(r.id, 'DONE'))).to.equal('REQUEST.INSPECTION_REQUIRED');
      expect(await code(move(r.id, 'IN_PROGRESS', null)), 'back to work needs a reason').to.equal(
        'REQUEST.REASON_REQUIRED',
      );
      expect((await stored(r.id)).status, 'refusals change nothing').to.equal('AWAITING_APPROVAL');
      const inspection = await storedInspection(w, inspector);
      await w.c.get(LinkRequestInspection).execute(as(admin), r.id, inspection.id);
      expect((await move(r.id, 'DONE')).status).to.equal('DONE');
      expect((await history(r.id)).map((h) => h.toStatus)).to.deep.equal([
        'NOT_STARTED',
        'IN_PROGRESS',
        'AWAITING_APPROVAL',
        'DONE',
      ]);
      expect(await code(move(r.id, 'IN_PROGRESS', 'reopen'))).to.equal('REQUEST.INVALID_TRANSITION');
    });

    it('history rows of one request get strictly increasing times even when the clock stands still', async () => {
      const r = await createMine(customer);
      await move(r.id, 'ON_HOLD', 'vehicle away');
      await move(r.id, 'NOT_STARTED');
      const times = (await history(r.id)).map((h) => h.createdAt.getTime());
      expect(times).to.deep.equal([0, 1, 2].map((n) => w.clock.now().getTime() + n));
      expect((await history(r.id)).map((h) => [h.fromStatus, h.toStatus, h.reason])).to.deep.equal([
        [null, 'NOT_STARTED', null],
        ['NOT_STARTED', 'ON_HOLD', 'vehicle away'],
        ['ON_HOLD', 'NOT_STARTED', null],
      ]);
    });

    it('cancelling a PAID request marks its payment for refund (request and payment REFUND_PENDING, audit REFUND_MARKED)', async () => {
      const r = await createMine(customer);
      const { payment } = await w.c.get(CreateRequestPayment).execute(as(customer), r.id);
      const paid = await w.c.get(HandlePaymentWebhook).execute({
        gateway: 'sandbox',
        headers: { 'x-callback-token': w.config.payments.webhookToken as string },
        body: {
          id: payment.invoiceId,
          external_id: payment.id,
          status: 'PAID',
          amount: 350000,
          paid_amount: 350000,
          currency: 'IDR',
        },
      });
      expect(paid.outcome).to.equal('applied');
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), r.id, null);
      expect(await stored(r.id)).to.deep.include({ status: 'CANCELLED', paymentStatus: 'REFUND_PENDING' });
      expect((await w.tx((tx) => tx.payments.findById(payment.id)))?.status).to.equal('REFUND_PENDING');
      const [refund] = await w.audit({ action: 'REFUND_MARKED' });
      expect(refund).to.deep.include({ actorId: customer.user.id, entity: 'payment', entityId: payment.id });
      expect(refund?.metadata).to.deep.equal({ requestId: r.id, amountIdr: 350000 });
      expect((await w.audit({ action: 'STATUS_CHANGE', entityId: r.id })).at(-1)?.metadata).to.deep.include({
        paymentStatus: { from: 'PAID', to: 'REFUND_PENDING' },
      });
    });

    it("a request marked PAID without a payment row still gets the refund marker, with the request's price", async () => {
      const r = await createMine(customer);
      await w.tx((tx) => tx.inspectionRequests.setPaymentStatus(r.id, 'PAID', w.clock.now()));
      await move(r.id, 'CANCELLED', 'duplicate booking');
      expect((await stored(r.id)).paymentStatus).to.equal('REFUND_PENDING');
      const [refund] = await w.audit({ action: 'REFUND_MARKED' });
      expect(refund).to.deep.include({ entityId: null });
      expect(refund?.metadata).to.deep.equal({ requestId: r.id, amountIdr: 350000 });
    });

    it('cancelling an unpaid request marks nothing for refund', async () => {
      const r = await createMine(customer);
      await move(r.id, 'CANCELLED', 'duplicate booking');
      expect((await stored(r.id)).paymentStatus).to.equal('UNPAID');
      expect(await w.audit({ action: 'REFUND_MARKED' })).to.deep.equal([]);
    });

    it('an unknown request is REQUEST.NOT_FOUND for every admin action', async () => {
      const id = randomUUID();
      expect(await code(move(id, 'CANCELLED', 'reason'))).to.equal('REQUEST.NOT_FOUND');
      expect(await code(w.c.get(AssignInspectionRequest).execute(as(admin), id, admin.user.id))).to.equal(
        'REQUEST.NOT_FOUND',
      );
      expect(await code(w.c.get(LinkRequestInspection).execute(as(admin), id, randomUUID()))).to.equal(
        'REQUEST.NOT_FOUND',
      );
      expect(await code(w.c.get(WaiveRequestPayment).execute(as(admin), id, 'because'))).to.equal('REQUEST.NOT_FOUND');
    });
  });

  describe('assigning', () => {
    it('to an active ADMIN, SUPERADMIN or INSPECTOR only; audit ASSIGN from the previous assignee', async () => {
      const r = await createMine(customer);
      const inspector = await w.actors.create('INSPECTOR');
      const assign = (assigneeId: string) => w.c.get(AssignInspectionRequest).execute(as(admin), r.id, assigneeId);
      expect((await assign(inspector.user.id)).assigneeId).to.equal(inspector.user.id);
      expect((await assign(admin.user.id)).assigneeId).to.equal(admin.user.id);
      const audits = await w.audit({ action: 'ASSIGN', entityId: r.id });
      expect(audits.map((a) => a.metadata)).to.deep.equal([
        { from: null, to: inspector.user.id, assigneeRole: 'INSPECTOR' },
        { from: inspector.user.id, to: admin.user.id, assigneeRole: 'ADMIN' },
      ]);
      const reviewer = await w.actors.create('REVIEWER');
      const idle = await w.actors.create('ADMIN');
      await w.c.get(SetUserActive).execute(as(admin), inspector.user.id, false);
      const sa = await w.actors.create('SUPERADMIN');
      await w.c.get(SetUserActive).execute(as(sa), idle.user.id, false);
      for (const id of [customer.user.id, reviewer.user.id, inspector.user.id, idle.user.id, randomUUID()])
        expect(await code(assign(id)), id).to.equal('REQUEST.INVALID_ASSIGNEE');
      expect((await stored(r.id)).assigneeId).to.equal(admin.user.id);
    });

    it('a final request can no longer be assigned, linked or waived: REQUEST.FINAL', async () => {
      const r = await createMine(customer);
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), r.id, null);
      expect(await code(w.c.get(AssignInspectionRequest).execute(as(admin), r.id, admin.user.id))).to.equal(
        'REQUEST.FINAL',
      );
      expect(await code(w.c.get(LinkRequestInspection).execute(as(admin), r.id, randomUUID()))).to.equal(
        'REQUEST.FINAL',
      );
      expect(await code(w.c.get(WaiveRequestPayment).execute(as(admin), r.id, 'goodwill'))).to.equal('REQUEST.FINAL');
    });
  });

  describe('linking the resulting inspection', () => {
    it("fills the inspection's empty customer and vehicle links; audit UPDATE names them", async () => {
      const inspector = await w.actors.create('INSPECTOR');
      const v = await vehicleOf(customer);
      const r = await createMine(customer, { vehicleId: v.id, preferredSchedule: tomorrow() });
      const i = await storedInspection(w, inspector);
      const linked = await w.c.get(LinkRequestInspection).execute(as(admin), r.id, i.id);
      expect(linked.inspectionId).to.equal(i.id);
      expect(await w.tx((tx) => tx.inspections.findById(i.id))).to.deep.include({
        customerUserId: customer.user.id,
        customerVehicleId: v.id,
      });
      expect((await w.audit({ action: 'UPDATE', entityId: r.id }))[0]?.metadata).to.deep.equal({
        inspectionId: { from: null, to: i.id },
        inspectionLinks: ['customerUserId', 'customerVehicleId'],
        previousInspectionUnlinked: [],
      });
      expect(
        await code(w.c.get(LinkRequestInspection).execute(as(admin), r.id, i.id)),
        'linking it again is allowed',
      ).to.equal('OK');
      expect((await w.audit({ action: 'UPDATE', entityId: r.id }))[1]?.metadata).to.deep.include({
        inspectionLinks: [],
      });
    });

    it('keeps links the inspection already has (same customer); a described car links no vehicle', async () => {
      const inspector = await w.actors.create('INSPECTOR');
      const r = await createMine(customer);
      const i = await storedInspection(w, inspector, { customerUserId: customer.user.id });
      await w.c.get(LinkRequestInspection).execute(as(admin), r.id, i.id);
      expect(await w.tx((tx) => tx.inspections.findById(i.id))).to.deep.include({
        customerUserId: customer.user.id,
        customerVehicleId: null,
      });
      expect((await w.audit({ action: 'UPDATE', entityId: r.id }))[0]?.metadata).to.deep.include({
        inspectionLinks: [],
      });
    });

    it('refuses an unknown inspection (REQUEST.UNKNOWN_INSPECTION), one of another request or another customer (REQUEST.INSPECTION_TAKEN)', async () => {
      const inspector = await w.actors.create('INSPECTOR');
      const r = await createMine(customer);
      const second = await createMine(customer);
      expect(await code(w.c.get(LinkRequestInspection).execute(as(admin), r.id, randomUUID()))).to.equal(
        'REQUEST.UNKNOWN_INSPECTION',
      );
      const i = await storedInspection(w, inspector);
      await w.c.get(LinkRequestInspection).execute(as(admin), r.id, i.id);
      expect(await code(w.c.get(LinkRequestInspection).execute(as(admin), second.id, i.id))).to.equal(
        'REQUEST.INSPECTION_TAKEN',
      );
      const foreign = await storedInspection(w, inspector, { customerUserId: other.user.id });
      expect(await code(w.c.get(LinkRequestInspection).execute(as(admin), second.id, foreign.id))).to.equal(
        'REQUEST.INSPECTION_TAKEN',
      );
      expect((await stored(second.id)).inspectionId).to.equal(null);
      expect((await w.tx((tx) => tx.inspections.findById(foreign.id)))?.customerUserId).to.equal(other.user.id);
    });
  });

  describe('waiving the payment', () => {
    it('UNPAID or PENDING become WAIVED with the trimmed reason; other payment states are not waivable', async () => {
      const r = await createMine(customer);
      expect(await code(w.c.get(WaiveRequestPayment).execute(as(admin), r.id, ' no '))).to.equal(
        'REQUEST.REASON_REQUIRED',
      );
      expect(
        await code(w.c.get(WaiveRequestPayment).execute(as(admin), randomUUID(), 'x')),
        'the reason is checked first',
      ).to.equal('REQUEST.REASON_REQUIRED');
      const waived = await w.c.get(WaiveRequestPayment).execute(as(admin), r.id, '  partner garage  ');
      expect(waived).to.deep.include({ paymentStatus: 'WAIVED', paymentWaiverReason: 'partner garage' });
      expect((await w.audit({ action: 'UPDATE', entityId: r.id }))[0]?.metadata).to.deep.equal({
        paymentStatus: { from: 'UNPAID', to: 'WAIVED' },
        reason: 'partner garage',
      });
      expect(await code(w.c.get(WaiveRequestPayment).execute(as(admin), r.id, 'again please'))).to.equal(
        'REQUEST.PAYMENT_NOT_WAIVABLE',
      );
      const pending = await createMine(customer);
      await w.c.get(CreateRequestPayment).execute(as(customer), pending.id);
      expect((await w.c.get(WaiveRequestPayment).execute(as(admin), pending.id, 'promo day')).paymentStatus).to.equal(
        'WAIVED',
      );
      for (const status of ['PAID', 'REFUND_PENDING', 'REFUNDED'] as const) {
        const x = await createMine(customer);
        await w.tx((tx) => tx.inspectionRequests.setPaymentStatus(x.id, status, w.clock.now()));
        expect(await code(w.c.get(WaiveRequestPayment).execute(as(admin), x.id, 'promo day')), status).to.equal(
          'REQUEST.PAYMENT_NOT_WAIVABLE',
        );
      }
    });
  });

  describe('attachment photos', () => {
    const add = (a: TestActor, requestId: string, files = [fileOf(imageBytes('jpeg', 2048, 1))], types?: string[]) =>
      w.c.get(AddRequestPhotos).execute(as(a), requestId, files, types);

    it('stores the files, then the rows in order with their types (OTHER by default), and signs URLs without storage keys', async () => {
      const r = await createMine(customer);
      const first = await add(
        customer,
        r.id,
        [fileOf(imageBytes('jpeg', 3000, 1)), fileOf(imageBytes('png', 2500, 2), 'p.png')],
        ['FRONT', 'INTERIOR'],
      );
      expect(first.map((p) => [p.type, p.sortOrder, p.contentType, p.sizeBytes])).to.deep.equal([
        ['FRONT', 0, 'image/jpeg', 3000],
        ['INTERIOR', 1, 'image/png', 2500],
      ]);
      expect(first[0]).to.not.have.property('storageKey');
      expect(first[0]?.url).to.be.a('string').and.not.empty;
      const second = await add(customer, r.id);
      expect(second.map((p) => [p.type, p.sortOrder])).to.deep.equal([['OTHER', 2]]);
      const keys = await keysUnder(w.storage, `customer-requests/${r.id}/`);
      expect(keys).to.have.length(3);
      expect(keys.some((k) => k.endsWith(`${first[1]?.id}.png`))).to.equal(true);
      expect((await w.c.get(ListRequestPhotos).execute(as(customer), r.id)).map((p) => p.id)).to.deep.equal(
        [...first, ...second].map((p) => p.id),
      );
      expect((await w.audit({ action: 'UPDATE', entityId: r.id }))[0]?.metadata).to.deep.equal({
        photosAdded: first.map((p) => p.id),
        types: ['FRONT', 'INTERIOR'],
      });
    });

    it('checks the files before anything: none, too many, not an image, not decodable, wrong photo types', async () => {
      const r = await createMine(customer);
      const jpeg = fileOf(imageBytes('jpeg'));
      expect(await code(add(customer, r.id, []))).to.equal('PHOTO.NO_FILE');
      expect(
        await code(
          add(
            customer,
            r.id,
            Array.from({ length: MAX_REQUEST_PHOTOS + 1 }, () => jpeg),
          ),
        ),
      ).to.equal('PHOTO.TOO_MANY');
      expect(await code(add(customer, r.id, [fileOf(imageBytes('pdf'), 'x.pdf')]))).to.equal('PHOTO.UNSUPPORTED_TYPE');
      expect(await code(add(customer, r.id, [fileOf(fakeImageBytes('jpeg'))]))).to.equal('PHOTO.UNREADABLE');
      expect(await code(add(customer, r.id, [jpeg], ['FRONT', 'BACK']))).to.equal('VALIDATION.FAILED');
      expect(await code(add(customer, r.id, [jpeg], ['SELFIE']))).to.equal('VALIDATION.FAILED');
      expect(await keysUnder(w.storage, `customer-requests/${r.id}/`)).to.deep.equal([]);
    });

    it("only on the customer's own, unfinished request", async () => {
      const r = await createMine(customer);
      expect(await code(add(other, r.id))).to.equal('REQUEST.NOT_FOUND');
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), r.id, null);
      expect(await code(add(customer, r.id))).to.equal('REQUEST.FINAL');
      expect(await keysUnder(w.storage, `customer-requests/${r.id}/`)).to.deep.equal([]);
    });

    it('at most MAX_REQUEST_PHOTOS in total: a batch that would exceed it is refused whole', async () => {
      const r = await createMine(customer);
      await add(
        customer,
        r.id,
        Array.from({ length: 8 }, (_, i) => fileOf(imageBytes('jpeg', 2048, i + 1))),
      );
      const e = await rejects(
        add(
          customer,
          r.id,
          Array.from({ length: 3 }, (_, i) => fileOf(imageBytes('jpeg', 2048, 20 + i))),
        ),
        'PHOTO.TOO_MANY',
      );
      expect(e.details).to.deep.equal([{ path: '/body/photos', message: 'at most 2 more' }]);
      expect(await keysUnder(w.storage, `customer-requests/${r.id}/`)).to.have.length(8);
      expect(
        await add(customer, r.id, [fileOf(imageBytes('jpeg', 2048, 30)), fileOf(imageBytes('jpeg', 2048, 31))]),
      ).to.have.length(2);
    });

    it('the storage quota counts every photo of the customer (CUSTOMER_MAX_STORED_MB)', async () => {
      w.cleanup();
      await setUp({ CUSTOMER_MAX_STORED_MB: '1' });
      const r = await createMine(customer);
      await add(customer, r.id, [fileOf(imageBytes('jpeg', 600 * 1024, 1))]);
      const second = await createMine(customer);
      expect(await code(add(customer, second.id, [fileOf(imageBytes('jpeg', 600 * 1024, 2))]))).to.equal(
        'CUSTOMER.STORAGE_QUOTA_EXCEEDED',
      );
      expect(await keysUnder(w.storage, `customer-requests/${second.id}/`)).to.deep.equal([]);
      expect(await code(add(customer, second.id, [fileOf(imageBytes('jpeg', 300 * 1024, 3))]))).to.equal('OK');
    });
  });

  describe('relinking a request to another inspection (a correction)', () => {
    // LinkRequestInspection once left the customer's links on the inspection linked before: the customer kept
    // OWNER access to someone else's car. A relink now takes those links back.
    it('after a corrected link the customer no longer has access to the wrongly linked inspection', async () => {
      const inspector = await w.actors.create('INSPECTOR');
      const r = await createMine(customer);
      const wrong = await storedInspection(w, inspector);
      const right = await storedInspection(w, inspector);
      await w.c.get(LinkRequestInspection).execute(as(admin), r.id, wrong.id);
      const relinked = await code(w.c.get(LinkRequestInspection).execute(as(admin), r.id, right.id));
      const access = await w.c
        .get<CustomerInspectionHistory>(CustomerInspectionHistory)
        .accessTo(customer.user.id, wrong.id);
      expect(relinked, 'a correction is allowed').to.equal('OK');
      expect(access, 'the wrongly linked inspection left the history').to.equal(null);
      expect(
        await w.c.get<CustomerInspectionHistory>(CustomerInspectionHistory).accessTo(customer.user.id, right.id),
      ).to.equal('OWNER');
      expect(await w.tx((tx) => tx.inspections.findById(wrong.id))).to.deep.include({ customerUserId: null });
      expect((await w.audit({ action: 'UPDATE', entityId: r.id }))[1]?.metadata).to.deep.include({
        previousInspectionUnlinked: ['customerUserId'],
      });
    });
  });
});
