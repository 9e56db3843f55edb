import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Payment } from '../../src/domain/customer/payment.js';
import type { DomainError } from '../../src/domain/shared/domain-error.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newInspection } from './inspection-ports.contract.js';
import { newUser } from './user-repository.contract.js';

const t0 = new Date('2026-11-24T02:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

/** PaymentRepository (with credit packages and the credit ledger) and ReportUnlocks. */
export function paymentsContract(subject: PersistenceUnderTest): void {
  describe(`payments persistence contract: ${subject.name}`, () => {
    let p: TransactionalPorts & { uow: UnitOfWork };
    let customerId: string;
    let requestId: string;
    let inspectionIds: string[];

    const payment = (over: Partial<Payment> = {}): Omit<Payment, 'createdAt' | 'updatedAt'> => ({
      id: randomUUID(),
      customerId,
      purpose: 'INSPECTION_REQUEST',
      requestId,
      creditPackageId: null,
      credits: null,
      amountIdr: 350000,
      currency: 'IDR',
      gateway: 'sandbox',
      invoiceId: `inv-${randomUUID()}`,
      invoiceUrl: 'http://127.0.0.1/checkout',
      status: 'PENDING',
      expiresAt: at(3600),
      paidAt: null,
      ...over,
    });

    beforeEach(async () => {
      p = await subject.create();
      const branchId = (await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0)).id;
      const inspectorId = (
        await p.users.create(
          newUser({ role: 'INSPECTOR', branchCityId: branchId, passwordHash: null, pinHash: 'h' }),
          t0,
        )
      ).id;
      customerId = (await p.users.create(newUser({ role: 'CUSTOMER' }), t0)).id;
      inspectionIds = [];
      for (let i = 0; i < 3; i++)
        inspectionIds.push((await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), t0)).id);
      requestId = randomUUID();
      await p.inspectionRequests.create(
        {
          id: requestId,
          customerId,
          vehicleId: null,
          vehicleDescription: { plateNumber: 'AB 1 CD' },
          vehicleClass: 'REGULAR',
          preferredSchedule: at(86400),
          notes: null,
          priceIdr: 350000,
          priceId: null,
          createdBy: customerId,
        },
        t0,
      );
    });

    it('payments: create, find by id and invoice, latest of a request, status changes, pages newest first', async () => {
      const first = await p.payments.create(payment({ status: 'EXPIRED' }), t0);
      expect(first).to.deep.include({
        customerId,
        requestId,
        amountIdr: 350000,
        currency: 'IDR',
        status: 'EXPIRED',
        paidAt: null,
      });
      expect(first.createdAt.toISOString()).to.equal(t0.toISOString());
      const second = await p.payments.create(payment(), at(10));
      expect((await p.payments.findById(first.id))?.invoiceId).to.equal(first.invoiceId);
      expect((await p.payments.findByInvoice('sandbox', second.invoiceId as string))?.id).to.equal(second.id);
      expect(await p.payments.findByInvoice('xendit', second.invoiceId as string)).to.equal(null);
      expect((await p.payments.latestForRequest(requestId))?.id).to.equal(second.id);
      expect(await p.payments.latestForRequest(randomUUID())).to.equal(null);
      const paid = await p.uow.run(async (tx) => {
        const locked = await tx.payments.findByInvoiceForUpdate('sandbox', second.invoiceId as string);
        return tx.payments.setStatus((locked as Payment).id, 'PAID', at(20), at(21));
      });
      expect(paid).to.deep.include({ status: 'PAID' });
      expect(paid?.paidAt?.toISOString()).to.equal(at(20).toISOString());
      expect(paid?.updatedAt.toISOString()).to.equal(at(21).toISOString());
      expect(await p.payments.setStatus(randomUUID(), 'PAID', null, t0)).to.equal(null);
      const page = await p.payments.listForCustomer(customerId, { page: 1, pageSize: 1 });
      expect(page).to.deep.include({ total: 2, page: 1, pageSize: 1 });
      expect(page.items.map((x) => x.id)).to.deep.equal([second.id]);
      expect((await p.payments.listForCustomer(randomUUID(), { page: 1, pageSize: 10 })).total).to.equal(0);
    });

    it('payments: at most one PENDING invoice per request (PAYMENT.INVOICE_OPEN)', async () => {
      await p.payments.create(payment(), t0);
      try {
        await p.payments.create(payment(), at(1));
        expect.fail('a second pending invoice');
      } catch (e) {
        expect((e as DomainError).code).to.equal('PAYMENT.INVOICE_OPEN');
      }
      // Credit purchases have no request: any number may be open.
      await p.payments.create(payment({ purpose: 'CREDIT_PACKAGE', requestId: null, credits: 5 }), at(2));
      await p.payments.create(payment({ purpose: 'CREDIT_PACKAGE', requestId: null, credits: 5 }), at(3));
      expect((await p.payments.listForCustomer(customerId, { page: 1, pageSize: 10 })).total).to.equal(3);
    });

    it('the refund marker turns the PAID payment of a request into REFUND_PENDING', async () => {
      expect(await p.payments.markRefundPending(requestId, t0), 'nothing paid yet').to.equal(null);
      await p.payments.create(payment({ status: 'EXPIRED' }), t0);
      const paid = await p.payments.create(payment({ status: 'PAID', paidAt: at(5) }), at(5));
      const marked = await p.uow.run((tx) => tx.payments.markRefundPending(requestId, at(9)));
      expect(marked).to.deep.include({ id: paid.id, status: 'REFUND_PENDING' });
      expect(marked?.paidAt?.toISOString(), 'paidAt kept').to.equal(at(5).toISOString());
      expect((await p.payments.findById(paid.id))?.status).to.equal('REFUND_PENDING');
      expect(await p.payments.markRefundPending(requestId, at(10)), 'marked once').to.equal(null);
    });

    it('webhook events are stored once per gateway + invoice + status', async () => {
      const pay = await p.payments.create(payment(), t0);
      const ev = (status: string, outcome: 'applied' | 'ignored' | 'mismatch') => ({
        id: randomUUID(),
        gateway: 'sandbox',
        invoiceId: pay.invoiceId as string,
        status,
        paymentId: pay.id,
        payload: { status, amount: 350000, nested: { a: [1, 2] } },
        outcome,
      });
      expect(await p.payments.recordEvent(ev('PAID', 'applied'), at(1))).to.equal(true);
      expect(
        await p.uow.run((tx) => tx.payments.recordEvent(ev('PAID', 'applied'), at(2))),
        'the same status again',
      ).to.equal(false);
      expect(await p.payments.recordEvent(ev('EXPIRED', 'ignored'), at(3))).to.equal(true);
      expect(
        await p.payments.recordEvent({ ...ev('PAID', 'applied'), gateway: 'xendit' }, at(4)),
        'another gateway',
      ).to.equal(true);
      const events = await p.payments.eventsOf('sandbox', pay.invoiceId as string);
      expect(events.map((e) => [e.status, e.outcome])).to.deep.equal([
        ['PAID', 'applied'],
        ['EXPIRED', 'ignored'],
      ]);
      expect(events[0]).to.deep.include({
        paymentId: pay.id,
        payload: { status: 'PAID', amount: 350000, nested: { a: [1, 2] } },
      });
      expect(events[0]?.receivedAt.toISOString(), 'the first one is kept').to.equal(at(1).toISOString());
      // Concurrent deliveries of one event: exactly one is stored.
      const results = await Promise.all(
        Array.from({ length: 8 }, () => p.uow.run((tx) => tx.payments.recordEvent(ev('SETTLED', 'ignored'), at(5)))),
      );
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('credit packages: create, list cheapest first with the active filter, update', async () => {
      const big = await p.payments.packages.create(
        { id: randomUUID(), name: 'Big', credits: 20, priceIdr: 300000, active: true },
        t0,
      );
      const small = await p.payments.packages.create(
        { id: randomUUID(), name: 'Small', credits: 5, priceIdr: 100000, active: true },
        t0,
      );
      await p.payments.packages.create(
        { id: randomUUID(), name: 'Old', credits: 1, priceIdr: 10000, active: false },
        t0,
      );
      expect((await p.payments.packages.list(true)).map((x) => x.name)).to.deep.equal(['Small', 'Big']);
      expect((await p.payments.packages.list(false)).map((x) => x.name)).to.deep.equal(['Old', 'Small', 'Big']);
      const updated = await p.payments.packages.update(small.id, { priceIdr: 90000, active: false }, at(1));
      expect(updated).to.deep.include({ name: 'Small', credits: 5, priceIdr: 90000, active: false });
      expect(updated?.updatedAt.toISOString()).to.equal(at(1).toISOString());
      expect((await p.payments.packages.findById(big.id))?.priceIdr).to.equal(300000);
      expect(await p.payments.packages.update(randomUUID(), { name: 'x' }, t0)).to.equal(null);
      expect(await p.payments.packages.findById(randomUUID())).to.equal(null);
    });

    it('credits are granted once per payment, even when the grant races', async () => {
      const pay = await p.payments.create(payment({ purpose: 'CREDIT_PACKAGE', requestId: null, credits: 5 }), t0);
      expect(await p.payments.credits.balanceOf(customerId)).to.equal(0);
      const grant = () =>
        p.uow.run((tx) =>
          tx.payments.credits.grantPurchase(
            { customerId, paymentId: pay.id, credits: 5, entryId: randomUUID() },
            at(1),
          ),
        );
      const results = await Promise.all([grant(), grant(), grant(), grant()]);
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await grant()).to.equal(false);
      expect(await p.payments.credits.balanceOf(customerId)).to.equal(5);
      const other = await p.payments.create(payment({ purpose: 'CREDIT_PACKAGE', requestId: null, credits: 3 }), at(2));
      expect(
        await p.payments.credits.grantPurchase(
          { customerId, paymentId: other.id, credits: 3, entryId: randomUUID() },
          at(3),
        ),
      ).to.equal(true);
      expect(await p.payments.credits.balanceOf(customerId)).to.equal(8);
      const ledger = await p.payments.credits.entries(customerId, { page: 1, pageSize: 10 });
      expect(ledger.total).to.equal(2);
      expect(ledger.items.map((e) => [e.delta, e.reason, e.paymentId])).to.deep.equal([
        [3, 'PURCHASE', other.id],
        [5, 'PURCHASE', pay.id],
      ]);
    });

    it('unlocking a report: insufficient without credits, charged once, already for a repeat, never negative', async () => {
      const [a, b, c] = inspectionIds as [string, string, string];
      const unlock = (inspectionId: string, s = 1) =>
        p.uow.run((tx) =>
          tx.payments.credits.consumeForUnlock({ customerId, inspectionId, entryId: randomUUID() }, at(s)),
        );
      expect(await unlock(a)).to.deep.equal({ outcome: 'insufficient', balance: 0 });
      expect(await p.reportUnlocks.isUnlocked(customerId, a), 'nothing left behind').to.equal(false);
      const pay = await p.payments.create(payment({ purpose: 'CREDIT_PACKAGE', requestId: null, credits: 2 }), t0);
      await p.payments.credits.grantPurchase(
        { customerId, paymentId: pay.id, credits: 2, entryId: randomUUID() },
        at(1),
      );
      expect(await unlock(a, 2)).to.deep.equal({ outcome: 'unlocked', balance: 1 });
      expect(await unlock(a, 3)).to.deep.equal({ outcome: 'already', balance: 1 });
      expect(await unlock(b, 4)).to.deep.equal({ outcome: 'unlocked', balance: 0 });
      expect(await unlock(c, 5)).to.deep.equal({ outcome: 'insufficient', balance: 0 });
      expect(await p.reportUnlocks.isUnlocked(customerId, a)).to.equal(true);
      expect(await p.reportUnlocks.isUnlocked(customerId, c)).to.equal(false);
      expect(await p.reportUnlocks.isUnlocked(randomUUID(), a)).to.equal(false);
      expect((await p.reportUnlocks.inspectionIdsOf(customerId)).sort()).to.deep.equal([a, b].sort());
      const ledger = await p.payments.credits.entries(customerId, { page: 1, pageSize: 10 });
      expect(ledger.items.map((e) => [e.delta, e.reason, e.inspectionId])).to.deep.equal([
        [-1, 'REPORT_UNLOCK', b],
        [-1, 'REPORT_UNLOCK', a],
        [2, 'PURCHASE', null],
      ]);
      // Outside a unit of work the adapter still makes the charge atomic.
      expect(
        await p.payments.credits.consumeForUnlock({ customerId, inspectionId: c, entryId: randomUUID() }, at(6)),
      ).to.deep.equal({ outcome: 'insufficient', balance: 0 });
    });

    it('concurrent unlocks of the same and of different reports charge exactly the balance', async () => {
      const pay = await p.payments.create(payment({ purpose: 'CREDIT_PACKAGE', requestId: null, credits: 2 }), t0);
      await p.payments.credits.grantPurchase(
        { customerId, paymentId: pay.id, credits: 2, entryId: randomUUID() },
        at(1),
      );
      const tries = [...inspectionIds, ...inspectionIds, ...inspectionIds];
      const results = await Promise.all(
        tries.map((inspectionId) =>
          p.uow.run((tx) =>
            tx.payments.credits.consumeForUnlock({ customerId, inspectionId, entryId: randomUUID() }, at(2)),
          ),
        ),
      );
      expect(results.filter((r) => r.outcome === 'unlocked')).to.have.length(2);
      expect(results.every((r) => r.balance >= 0)).to.equal(true);
      expect(await p.payments.credits.balanceOf(customerId)).to.equal(0);
      expect(await p.reportUnlocks.inspectionIdsOf(customerId)).to.have.length(2);
    });
  });
}
