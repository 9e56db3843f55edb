import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CreateCreditPackage } from '../../../src/application/credits/create-credit-package.js';
import { GetMyCredits } from '../../../src/application/credits/get-my-credits.js';
import { ListCreditPackages } from '../../../src/application/credits/list-credit-packages.js';
import { PurchaseCredits } from '../../../src/application/credits/purchase-credits.js';
import { UnlockReport } from '../../../src/application/credits/unlock-report.js';
import { UpdateCreditPackage } from '../../../src/application/credits/update-credit-package.js';
import { HandlePaymentWebhook } from '../../../src/application/payments/handle-payment-webhook.js';
import type { Payment } from '../../../src/domain/customer/payment.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, rejects, storedInspection, storedReports, world, type World } from './fixtures.js';

describe('credit use cases: packages, purchases and report unlocks (memory adapters, sandbox gateway)', () => {
  let w: World;
  let customer: TestActor;
  let other: TestActor;
  let admin: TestActor;
  let inspector: TestActor;

  beforeEach(async () => {
    w = world();
    customer = await w.actors.create('CUSTOMER');
    other = await w.actors.create('CUSTOMER');
    admin = await w.actors.create('ADMIN');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  const newPackage = (over: { name?: string; credits?: number; priceIdr?: number; active?: boolean } = {}) =>
    w.c.get(CreateCreditPackage).execute(as(admin), { name: 'Starter', credits: 3, priceIdr: 90000, ...over });
  const paid = (p: Payment, status = 'PAID') =>
    w.c.get(HandlePaymentWebhook).execute({
      gateway: 'sandbox',
      headers: { 'x-callback-token': w.config.payments.webhookToken as string },
      body: { id: p.invoiceId, external_id: p.id, status, amount: p.amountIdr, currency: 'IDR' },
    });
  const balance = async (a: TestActor) => (await w.c.get(GetMyCredits).execute(as(a), {})).balance;
  async function buyCredits(a: TestActor, credits: number): Promise<void> {
    const pkg = await newPackage({ name: `${credits} credits`, credits });
    await paid((await w.c.get(PurchaseCredits).execute(as(a), pkg.id)).payment);
  }
  const unlock = (a: TestActor, prettyId: string) => w.c.get(UnlockReport).execute(as(a), prettyId);
  /** A finished (reported) inspection nobody owns. */
  async function reported(over: Parameters<typeof storedInspection>[2] = {}) {
    const i = await storedInspection(w, inspector, { status: 'APPROVED', ...over });
    await storedReports(w, i.id);
    return i;
  }

  describe('packages', () => {
    it('are created active by default with a trimmed name, listed cheapest first, inactive ones for admins only', async () => {
      const big = await newPackage({ name: '  Fleet  ', credits: 50, priceIdr: 1_000_000 });
      expect(big).to.deep.include({ name: 'Fleet', credits: 50, priceIdr: 1_000_000, active: true });
      const small = await newPackage();
      const hidden = await newPackage({ name: 'Legacy', priceIdr: 10, active: false });
      expect((await w.c.get(ListCreditPackages).execute(true)).map((p) => p.id)).to.deep.equal([small.id, big.id]);
      expect((await w.c.get(ListCreditPackages).execute(false)).map((p) => p.id)).to.deep.equal([
        hidden.id,
        small.id,
        big.id,
      ]);
      expect((await w.audit({ action: 'CREDIT_PACKAGE_SAVED', entityId: big.id }))[0]?.metadata).to.deep.equal({
        created: true,
        name: 'Fleet',
        credits: 50,
        priceIdr: 1_000_000,
        active: true,
      });
    });

    it('are updated (name trimmed, audit with the patch); an unknown one is CREDITS.PACKAGE_NOT_FOUND', async () => {
      const pkg = await newPackage();
      const updated = await w.c
        .get(UpdateCreditPackage)
        .execute(as(admin), pkg.id, { name: ' Starter+ ', priceIdr: 95000 });
      expect(updated).to.deep.include({ name: 'Starter+', priceIdr: 95000, credits: 3, active: true });
      expect((await w.audit({ action: 'CREDIT_PACKAGE_SAVED', entityId: pkg.id }))[1]?.metadata).to.deep.include({
        created: false,
        priceIdr: 95000,
      });
      expect(await code(w.c.get(UpdateCreditPackage).execute(as(admin), randomUUID(), { active: false }))).to.equal(
        'CREDITS.PACKAGE_NOT_FOUND',
      );
    });
  });

  describe('buying credits', () => {
    it('opens an invoice for an active package with the credits snapshotted; the credits arrive once, with the PAID callback', async () => {
      const pkg = await newPackage();
      const { payment, created } = await w.c.get(PurchaseCredits).execute(as(customer), pkg.id);
      expect(created).to.equal(true);
      expect(payment).to.deep.include({
        purpose: 'CREDIT_PACKAGE',
        requestId: null,
        creditPackageId: pkg.id,
        credits: 3,
        amountIdr: 90000,
        status: 'PENDING',
        customerId: customer.user.id,
      });
      expect((await w.audit({ action: 'PAYMENT_CREATED' }))[0]?.metadata).to.deep.include({
        purpose: 'CREDIT_PACKAGE',
        creditPackageId: pkg.id,
        credits: 3,
        amountIdr: 90000,
      });
      await w.c.get(UpdateCreditPackage).execute(as(admin), pkg.id, { credits: 10, priceIdr: 200000 });
      expect(await balance(customer)).to.equal(0);
      expect((await paid(payment)).outcome).to.equal('applied');
      expect(await balance(customer), 'the snapshot, not the changed package').to.equal(3);
      expect((await paid(payment)).outcome).to.equal('duplicate');
      expect((await paid(payment, 'SETTLED')).outcome).to.equal('ignored');
      const mine = await w.c.get(GetMyCredits).execute(as(customer), {});
      expect(mine.balance).to.equal(3);
      expect(mine.ledger.items.map((e) => [e.delta, e.reason, e.paymentId])).to.deep.equal([
        [3, 'PURCHASE', payment.id],
      ]);
      const [audit] = await w.audit({ action: 'CREDITS_PURCHASED' });
      expect(audit).to.deep.include({ actorId: customer.user.id, entityId: payment.id });
      expect(audit?.metadata).to.deep.equal({ credits: 3, creditPackageId: pkg.id, amountIdr: 90000 });
      expect(await balance(other)).to.equal(0);
    });

    it('an expired or failed purchase grants nothing; every purchase is its own invoice', async () => {
      const pkg = await newPackage();
      const first = (await w.c.get(PurchaseCredits).execute(as(customer), pkg.id)).payment;
      const second = (await w.c.get(PurchaseCredits).execute(as(customer), pkg.id)).payment;
      expect(second.id).to.not.equal(first.id);
      await paid(first, 'EXPIRED');
      await paid(second, 'FAILED');
      expect(await balance(customer)).to.equal(0);
      expect(await w.audit({ action: 'CREDITS_PURCHASED' })).to.deep.equal([]);
    });

    it('an inactive or unknown package is CREDITS.PACKAGE_NOT_FOUND and opens no invoice', async () => {
      const hidden = await newPackage({ active: false });
      expect(await code(w.c.get(PurchaseCredits).execute(as(customer), hidden.id))).to.equal(
        'CREDITS.PACKAGE_NOT_FOUND',
      );
      expect(await code(w.c.get(PurchaseCredits).execute(as(customer), randomUUID()))).to.equal(
        'CREDITS.PACKAGE_NOT_FOUND',
      );
      expect(
        (await w.tx((tx) => tx.payments.listForCustomer(customer.user.id, { page: 1, pageSize: 10 }))).total,
      ).to.equal(0);
    });
  });

  describe('unlocking a report', () => {
    it('spends one credit the first time (ledger, audit), nothing the second time', async () => {
      await buyCredits(customer, 2);
      const i = await reported();
      w.clock.advance(1000);
      const first = await unlock(customer, i.prettyId);
      expect(first).to.deep.equal({
        inspectionId: i.id,
        prettyId: i.prettyId,
        charged: true,
        access: 'unlocked',
        balance: 1,
      });
      expect(await unlock(customer, ` ${i.prettyId.toLowerCase()} `)).to.deep.equal({
        inspectionId: i.id,
        prettyId: i.prettyId,
        charged: false,
        access: 'already-unlocked',
        balance: 1,
      });
      const ledger = (await w.c.get(GetMyCredits).execute(as(customer), {})).ledger.items;
      expect(ledger.map((e) => [e.delta, e.reason, e.inspectionId])).to.deep.equal([
        [-1, 'REPORT_UNLOCK', i.id],
        [2, 'PURCHASE', null],
      ]);
      const audits = await w.audit({ action: 'REPORT_UNLOCKED' });
      expect(audits).to.have.length(1);
      expect(audits[0]).to.deep.include({ actorId: customer.user.id, entity: 'inspection', entityId: i.id });
      expect(audits[0]?.metadata).to.deep.equal({ prettyId: i.prettyId, credits: 1, balance: 1 });
      expect(await w.tx((tx) => tx.reportUnlocks.isUnlocked(customer.user.id, i.id))).to.equal(true);
    });

    it('without credits: 402 CREDITS.INSUFFICIENT and nothing recorded', async () => {
      const i = await reported();
      const e = await rejects(unlock(customer, i.prettyId), 'CREDITS.INSUFFICIENT');
      expect(e.kind).to.equal('payment_required');
      expect(await w.tx((tx) => tx.reportUnlocks.inspectionIdsOf(customer.user.id))).to.deep.equal([]);
      expect((await w.c.get(GetMyCredits).execute(as(customer), {})).ledger.total).to.equal(0);
    });

    it('own inspections are free: the owner field, one of their vehicles, or one of their requests', async () => {
      const vehicleId = randomUUID();
      await w.tx((tx) =>
        tx.customerVehicles.create(
          {
            id: vehicleId,
            customerId: customer.user.id,
            plateNumber: 'AB 1 CD',
            year: 2020,
            transmission: 'AT',
            bodyType: 'SUV',
            brand: 'Toyota',
            model: 'Rush',
            colour: null,
            specification: {},
            serviceHistory: [],
            vehicleClass: 'REGULAR',
          },
          w.clock.now(),
        ),
      );
      const byField = await reported({ customerUserId: customer.user.id });
      const byVehicle = await reported({ customerVehicleId: vehicleId });
      const byRequest = await reported();
      const requestId = randomUUID();
      await w.tx(async (tx) => {
        await tx.inspectionRequests.create(
          {
            id: requestId,
            customerId: customer.user.id,
            vehicleId: null,
            vehicleDescription: { brand: 'Toyota' },
            vehicleClass: 'REGULAR',
            preferredSchedule: new Date(w.clock.now().getTime() + 86400_000),
            notes: null,
            priceIdr: 1,
            priceId: null,
            createdBy: customer.user.id,
          },
          w.clock.now(),
        );
        await tx.inspectionRequests.update(requestId, { inspectionId: byRequest.id }, w.clock.now());
      });
      for (const i of [byField, byVehicle, byRequest]) {
        expect(await unlock(customer, i.prettyId)).to.deep.equal({
          inspectionId: i.id,
          prettyId: i.prettyId,
          charged: false,
          access: 'owned',
          balance: 0,
        });
        expect(await code(unlock(other, i.prettyId)), 'not free for anyone else').to.equal('CREDITS.INSUFFICIENT');
      }
      expect(await w.audit({ action: 'REPORT_UNLOCKED' })).to.deep.equal([]);
    });

    it('only finished, published reports: unknown, DEACTIVATED, reverted to review, or not archived without a stored report is CREDITS.REPORT_NOT_FOUND', async () => {
      await buyCredits(customer, 5);
      expect(await code(unlock(customer, 'YOG-01012026-999'))).to.equal('CREDITS.REPORT_NOT_FOUND');
      const deactivated = await reported({ status: 'DEACTIVATED' });
      expect(await code(unlock(customer, deactivated.prettyId))).to.equal('CREDITS.REPORT_NOT_FOUND');
      const unreported = await storedInspection(w, inspector, { status: 'APPROVED' });
      expect(await code(unlock(customer, unreported.prettyId))).to.equal('CREDITS.REPORT_NOT_FOUND');
      const inReview = await storedInspection(w, inspector);
      expect(await code(unlock(customer, inReview.prettyId))).to.equal('CREDITS.REPORT_NOT_FOUND');
      // Reverted to review with its old reports still stored: withdrawn from IPFS, so not for sale either.
      const reverted = await reported({ status: 'NEED_REVIEW' });
      expect(await code(unlock(customer, reverted.prettyId))).to.equal('CREDITS.REPORT_NOT_FOUND');
      const archived = await storedInspection(w, inspector, { status: 'ARCHIVED' });
      expect((await unlock(customer, archived.prettyId)).access, 'ARCHIVED counts as finished').to.equal('unlocked');
      expect(await balance(customer)).to.equal(4);
    });

    it('concurrent unlocks never take the balance below zero nor charge twice', async () => {
      await buyCredits(customer, 1);
      const a = await reported();
      const b = await reported();
      const results = await Promise.all([
        unlock(customer, a.prettyId),
        unlock(customer, a.prettyId),
        unlock(customer, b.prettyId).catch((e: { code: string }) => e.code),
      ]);
      expect(results[0]).to.deep.include({ access: 'unlocked', balance: 0 });
      expect(results[1]).to.deep.include({ access: 'already-unlocked', balance: 0 });
      expect(results[2]).to.equal('CREDITS.INSUFFICIENT');
      expect(await balance(customer)).to.equal(0);
    });
  });
});
