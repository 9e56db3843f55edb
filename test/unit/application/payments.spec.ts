import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { randomUUID } from 'node:crypto';
import { SandboxGateway } from '../../../src/adapters/payments/sandbox-gateway.js';
import { CancelMyInspectionRequest } from '../../../src/application/inspection-requests/cancel-my-inspection-request.js';
import { ChangeInspectionRequestStatus } from '../../../src/application/inspection-requests/change-inspection-request-status.js';
import { LinkRequestInspection } from '../../../src/application/inspection-requests/link-request-inspection.js';
import { CreateRequestPayment } from '../../../src/application/payments/create-request-payment.js';
import { HandlePaymentWebhook } from '../../../src/application/payments/handle-payment-webhook.js';
import { ListMyPayments } from '../../../src/application/payments/list-my-payments.js';
import type { CustomerInspectionRequest } from '../../../src/domain/customer/inspection-request.js';
import { PaymentErrors, type Payment } from '../../../src/domain/customer/payment.js';
import {
  PaymentGateway,
  PaymentRepository,
  type CreatedInvoice,
  type InvoiceRequest,
  type WebhookEvent,
  type WebhookRejection,
} from '../../../src/ports/payments.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, rejects, storedInspection, world, type World } from './fixtures.js';

/** The real sandbox gateway, with what it was asked recorded and a hook to fail or interleave work. */
class ScriptedGateway implements PaymentGateway {
  readonly name: string;
  readonly asked: InvoiceRequest[] = [];
  failWith: Error | undefined;
  during: (() => Promise<void>) | undefined;

  constructor(private readonly inner: SandboxGateway) {
    this.name = inner.name;
  }

  async createInvoice(r: InvoiceRequest): Promise<CreatedInvoice> {
    this.asked.push(r);
    if (this.failWith) throw this.failWith;
    const invoice = await this.inner.createInvoice(r);
    await this.during?.();
    return invoice;
  }

  parseWebhook(headers: Record<string, string | string[] | undefined>, body: unknown): WebhookEvent | WebhookRejection {
    return this.inner.parseWebhook(headers, body);
  }

  verifyToken(token: string | null): boolean {
    return this.inner.verifyToken(token);
  }
}

describe('payment use cases: invoices and the gateway webhook (memory adapters, sandbox gateway)', () => {
  let w: World;
  let gw: ScriptedGateway;
  let customer: TestActor;
  let other: TestActor;
  let admin: TestActor;
  let token: string;

  beforeEach(async () => {
    const scripted = new ContainerModule(({ rebind }) => {
      void rebind<PaymentGateway>(PaymentGateway)
        .toDynamicValue((ctx) => {
          const config = w.config;
          return new ScriptedGateway(
            new SandboxGateway({
              checkoutBaseUrl: 'https://cardano.example.com',
              webhookUrl: 'http://127.0.0.1:9/none',
              callbackToken: config.payments.webhookToken as string,
              payments: ctx.get<PaymentRepository>(PaymentRepository),
              now: () => w.clock.now(),
            }),
          );
        })
        .inSingletonScope();
    });
    w = world({
      env: {
        PAYMENT_SUCCESS_URL: 'https://app.example.com/paid',
        PAYMENT_FAILURE_URL: 'https://app.example.com/failed',
        PAYMENT_INVOICE_TTL_MINUTES: '60',
      },
      overrides: [scripted],
    });
    gw = w.c.get<PaymentGateway>(PaymentGateway) as ScriptedGateway;
    token = w.config.payments.webhookToken as string;
    customer = await w.actors.create('CUSTOMER');
    other = await w.actors.create('CUSTOMER');
    admin = await w.actors.create('ADMIN');
  });
  afterEach(() => w.cleanup());

  async function newRequest(owner: TestActor = customer, priceIdr = 350000): Promise<string> {
    const id = randomUUID();
    await w.tx((tx) =>
      tx.inspectionRequests.create(
        {
          id,
          customerId: owner.user.id,
          vehicleId: null,
          vehicleDescription: { brand: 'Toyota' },
          vehicleClass: 'REGULAR',
          preferredSchedule: new Date(w.clock.now().getTime() + 86400_000),
          notes: null,
          priceIdr,
          priceId: null,
          createdBy: owner.user.id,
        },
        w.clock.now(),
      ),
    );
    return id;
  }
  const pay = (requestId: string, a: TestActor = customer) => w.c.get(CreateRequestPayment).execute(as(a), requestId);
  const requestOf = (id: string) =>
    w.tx((tx) => tx.inspectionRequests.findById(id)) as Promise<CustomerInspectionRequest>;
  const paymentOf = (id: string) => w.tx((tx) => tx.payments.findById(id)) as Promise<Payment>;
  const paymentsOf = async (requestId: string) =>
    (await w.tx((tx) => tx.payments.listForCustomer(customer.user.id, { page: 1, pageSize: 100 }))).items.filter(
      (p) => p.requestId === requestId,
    );
  const events = (p: Payment) => w.tx((tx) => tx.payments.eventsOf('sandbox', p.invoiceId as string));
  const callback = (p: Payment, status: string, over: Record<string, unknown> = {}) => ({
    id: p.invoiceId,
    external_id: p.id,
    status,
    amount: p.amountIdr,
    currency: 'IDR',
    ...(status === 'PAID' || status === 'SETTLED'
      ? { paid_amount: p.amountIdr, paid_at: '2026-11-24T02:10:00.000Z' }
      : {}),
    ...over,
  });
  const hook = (
    body: unknown,
    headers: Record<string, string | string[] | undefined> = { 'x-callback-token': token },
    gateway = 'sandbox',
  ) => w.c.get(HandlePaymentWebhook).execute({ gateway, headers, body });

  describe('opening an invoice (CreateRequestPayment)', () => {
    it("asks the gateway for the request's price, then records a PENDING payment, the request PENDING and a PAYMENT_CREATED audit", async () => {
      const requestId = await newRequest();
      const { payment, created } = await pay(requestId);
      expect(created).to.equal(true);
      expect(payment).to.deep.include({
        customerId: customer.user.id,
        purpose: 'INSPECTION_REQUEST',
        requestId,
        creditPackageId: null,
        credits: null,
        amountIdr: 350000,
        currency: 'IDR',
        gateway: 'sandbox',
        status: 'PENDING',
        paidAt: null,
      });
      expect(payment.invoiceUrl).to.equal(`https://cardano.example.com/sandbox/checkout/${payment.invoiceId}`);
      expect(gw.asked).to.have.length(1);
      expect(gw.asked[0]).to.deep.include({
        externalId: payment.id,
        amountIdr: 350000,
        currency: 'IDR',
        payerEmail: customer.user.email,
        successRedirectUrl: 'https://app.example.com/paid',
        failureRedirectUrl: 'https://app.example.com/failed',
      });
      expect(gw.asked[0]?.description).to.equal(`CAR-dano inspection (REGULAR), request ${requestId.slice(0, 8)}`);
      expect(gw.asked[0]?.expiresAt.getTime()).to.equal(w.clock.now().getTime() + 60 * 60_000);
      expect(payment.expiresAt?.getTime()).to.equal(w.clock.now().getTime() + 60 * 60_000);
      expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
      const [audit] = await w.audit({ action: 'PAYMENT_CREATED' });
      expect(audit).to.deep.include({ actorId: customer.user.id, entity: 'payment', entityId: payment.id });
      expect(audit?.metadata).to.deep.equal({
        purpose: 'INSPECTION_REQUEST',
        requestId,
        amountIdr: 350000,
        gateway: 'sandbox',
        invoiceId: payment.invoiceId,
        retryOf: null,
      });
    });

    it('answers the open invoice again without asking the gateway', async () => {
      const requestId = await newRequest();
      const first = await pay(requestId);
      w.clock.advance(59 * 60_000);
      const again = await pay(requestId);
      expect(again).to.deep.equal({ payment: first.payment, created: false });
      expect(gw.asked).to.have.length(1);
    });

    it('an overdue invoice whose EXPIRED callback never came is closed and replaced (audit retryOf)', async () => {
      const requestId = await newRequest();
      const first = await pay(requestId);
      w.clock.advance(60 * 60_000);
      const retry = await pay(requestId);
      expect(retry.created).to.equal(true);
      expect(retry.payment.id).to.not.equal(first.payment.id);
      expect((await paymentOf(first.payment.id)).status).to.equal('EXPIRED');
      expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
      expect((await w.audit({ action: 'PAYMENT_CREATED' }))[1]?.metadata).to.deep.include({
        retryOf: first.payment.id,
      });
    });

    it('after an EXPIRED or FAILED callback a new invoice is opened', async () => {
      const requestId = await newRequest();
      const first = await pay(requestId);
      expect((await hook(callback(first.payment, 'FAILED'))).outcome).to.equal('applied');
      expect((await requestOf(requestId)).paymentStatus).to.equal('UNPAID');
      const second = await pay(requestId);
      expect(second.created).to.equal(true);
      await hook(callback(second.payment, 'EXPIRED'));
      const third = await pay(requestId);
      expect(third.created).to.equal(true);
      expect((await paymentsOf(requestId)).map((p) => p.status).sort()).to.deep.equal(['EXPIRED', 'FAILED', 'PENDING']);
    });

    it("refuses, without asking the gateway: someone else's or no request (404), a closed request, a settled payment, a zero price", async () => {
      const mine = await newRequest();
      expect(await code(pay(mine, other))).to.equal('REQUEST.NOT_FOUND');
      expect(await code(pay(randomUUID()))).to.equal('REQUEST.NOT_FOUND');
      const cancelled = await newRequest();
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), cancelled, null);
      expect(await code(pay(cancelled))).to.equal('PAYMENT.REQUEST_CLOSED');
      for (const status of ['PAID', 'WAIVED', 'REFUND_PENDING', 'REFUNDED'] as const) {
        const id = await newRequest();
        await w.tx((tx) => tx.inspectionRequests.setPaymentStatus(id, status, w.clock.now()));
        expect(await code(pay(id)), status).to.equal('PAYMENT.ALREADY_SETTLED');
      }
      expect(await code(pay(await newRequest(customer, 0)))).to.equal('PAYMENT.NOTHING_TO_PAY');
      expect(gw.asked).to.deep.equal([]);
    });

    it('a DONE request cannot be paid: PAYMENT.REQUEST_CLOSED', async () => {
      const requestId = await newRequest();
      await w.tx((tx) => tx.inspectionRequests.setPaymentStatus(requestId, 'WAIVED', w.clock.now()));
      await w.tx((tx) => tx.inspectionRequests.update(requestId, { paymentWaiverReason: 'goodwill' }, w.clock.now()));
      const move = w.c.get(ChangeInspectionRequestStatus);
      await move.execute(as(admin), requestId, 'IN_PROGRESS', null);
      await move.execute(as(admin), requestId, 'AWAITING_APPROVAL', null);
      const inspection = await storedInspection(w, await w.actors.create('INSPECTOR'));
      await w.c.get(LinkRequestInspection).execute(as(admin), requestId, inspection.id);
      await move.execute(as(admin), requestId, 'DONE', null);
      expect(await code(pay(requestId))).to.equal('PAYMENT.REQUEST_CLOSED');
    });

    it('a gateway failure is passed on and records nothing', async () => {
      const requestId = await newRequest();
      gw.failWith = PaymentErrors.gatewayUnavailable('connect ECONNREFUSED');
      await rejects(pay(requestId), 'PAYMENT.GATEWAY_UNAVAILABLE');
      gw.failWith = PaymentErrors.gatewayRejected('INVALID_API_KEY: API key is invalid');
      await rejects(pay(requestId), 'PAYMENT.GATEWAY_REJECTED');
      expect(await paymentsOf(requestId)).to.deep.equal([]);
      expect((await requestOf(requestId)).paymentStatus).to.equal('UNPAID');
      expect(await w.audit({ action: 'PAYMENT_CREATED' })).to.deep.equal([]);
    });

    it('when a concurrent call recorded an invoice while the gateway was asked, that one is answered (ours simply expires unpaid)', async () => {
      const requestId = await newRequest();
      let concurrent: Payment | undefined;
      gw.during = async () => {
        gw.during = undefined;
        concurrent = (await pay(requestId)).payment;
      };
      const answer = await pay(requestId);
      expect(answer.created).to.equal(false);
      expect(answer.payment.id).to.equal(concurrent?.id);
      expect(gw.asked).to.have.length(2);
      expect(await paymentsOf(requestId)).to.have.length(1);
    });

    it('a request cancelled while the gateway was asked is not charged: PAYMENT.REQUEST_CLOSED, nothing recorded', async () => {
      const requestId = await newRequest();
      gw.during = () =>
        w.c
          .get(CancelMyInspectionRequest)
          .execute(as(customer), requestId, null)
          .then(() => undefined);
      await rejects(pay(requestId), 'PAYMENT.REQUEST_CLOSED');
      expect(await paymentsOf(requestId)).to.deep.equal([]);
      expect(await requestOf(requestId)).to.deep.include({ status: 'CANCELLED', paymentStatus: 'UNPAID' });
    });

    it("lists a customer's own payments only, newest first", async () => {
      const a = (await pay(await newRequest())).payment;
      w.clock.advance(1000);
      const b = (await pay(await newRequest())).payment;
      await pay(await newRequest(other), other);
      const page = await w.c.get(ListMyPayments).execute(as(customer), {});
      expect(page.total).to.equal(2);
      expect(page.items.map((p) => p.id)).to.deep.equal([b.id, a.id]);
    });
  });

  describe('the webhook (HandlePaymentWebhook)', () => {
    let requestId: string;
    let p: Payment;
    beforeEach(async () => {
      requestId = await newRequest();
      p = (await pay(requestId)).payment;
    });

    it('a PAID callback pays the payment (paid_at kept) and the request, stores the event once and audits PAYMENT_APPLIED', async () => {
      expect(await hook(callback(p, 'PAID'))).to.deep.equal({
        received: true,
        outcome: 'applied',
        paymentId: p.id,
        status: 'PAID',
      });
      expect(await paymentOf(p.id)).to.deep.include({ status: 'PAID', paidAt: new Date('2026-11-24T02:10:00.000Z') });
      expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
      expect((await events(p)).map((e) => [e.status, e.outcome, e.paymentId])).to.deep.equal([
        ['PAID', 'applied', p.id],
      ]);
      const [audit] = await w.audit({ action: 'PAYMENT_APPLIED' });
      expect(audit).to.deep.include({ actorId: null, entityId: p.id });
      expect(audit?.metadata).to.deep.equal({
        from: 'PENDING',
        to: 'PAID',
        gatewayStatus: 'PAID',
        gateway: 'sandbox',
        invoiceId: p.invoiceId,
        amountIdr: 350000,
      });
      expect(w.alerts).to.deep.equal([]);
    });

    it("without paid_at the payment is paid at our clock's time", async () => {
      const { paid_at: _drop, ...body } = callback(p, 'PAID') as Record<string, unknown>;
      await hook(body);
      expect((await paymentOf(p.id)).paidAt).to.deep.equal(w.clock.now());
    });

    it('a repeated callback is a duplicate and changes nothing; SETTLED after PAID and EXPIRED after PAID are ignored', async () => {
      await hook(callback(p, 'PAID'));
      expect(await hook(callback(p, 'PAID'))).to.deep.equal({
        received: true,
        outcome: 'duplicate',
        paymentId: p.id,
        status: 'PAID',
      });
      expect(await hook(callback(p, 'SETTLED'))).to.deep.include({ outcome: 'ignored', status: 'PAID' });
      expect(await hook(callback(p, 'EXPIRED'))).to.deep.include({ outcome: 'ignored', status: 'PAID' });
      expect(await hook(callback(p, 'EXPIRED'))).to.deep.include({ outcome: 'duplicate' });
      expect((await events(p)).map((e) => [e.status, e.outcome])).to.deep.equal([
        ['PAID', 'applied'],
        ['SETTLED', 'ignored'],
        ['EXPIRED', 'ignored'],
      ]);
      expect((await paymentOf(p.id)).status).to.equal('PAID');
      expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
      expect(await w.audit({ action: 'PAYMENT_APPLIED' })).to.have.length(1);
    });

    it('a SETTLED callback on a pending payment counts as PAID', async () => {
      expect(await hook(callback(p, 'SETTLED'))).to.deep.include({ outcome: 'applied', status: 'PAID' });
      expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
    });

    it('EXPIRED puts the request back to UNPAID; a late PAID still pays it', async () => {
      expect(await hook(callback(p, 'EXPIRED'))).to.deep.include({ outcome: 'applied', status: 'EXPIRED' });
      expect((await requestOf(requestId)).paymentStatus).to.equal('UNPAID');
      expect(await hook(callback(p, 'FAILED'))).to.deep.include({ outcome: 'ignored', status: 'EXPIRED' });
      expect(await hook(callback(p, 'PAID'))).to.deep.include({ outcome: 'applied', status: 'PAID' });
      expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
      expect(w.alerts).to.deep.equal([]);
    });

    it('a callback that does not match the payment (amount, currency, external id) is stored as mismatch, changes nothing and alerts', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ amount: 1000, paid_amount: 1000 }, 'amount 1000 instead of 350000'],
        [{ currency: 'usd', status: 'SETTLED' }, 'currency USD instead of IDR'],
        [{ external_id: randomUUID(), status: 'EXPIRED' }, 'is not the payment id'],
      ];
      for (const [over, why] of cases) {
        const status = (over.status as string | undefined) ?? 'PAID';
        expect(await hook(callback(p, status, over)), why).to.deep.equal({
          received: true,
          outcome: 'mismatch',
          paymentId: p.id,
          status: 'PENDING',
        });
        const alert = w.alerts.at(-1);
        expect(alert).to.deep.include({
          kind: 'PAYMENT_ANOMALY',
          severity: 'warning',
          key: `sandbox:${p.invoiceId}:${status}`,
        });
        expect(alert?.title).to.contain(why);
      }
      expect(w.alerts).to.have.length(3);
      expect((await paymentOf(p.id)).status).to.equal('PENDING');
      expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
      expect((await events(p)).map((e) => e.outcome)).to.deep.equal(['mismatch', 'mismatch', 'mismatch']);
      // Events are stored once per invoice and gateway status: a PAID that matches, after the mismatched
      // PAID, is a repeat of a stored event (operators were alerted and settle it by hand).
      expect(await hook(callback(p, 'PAID'))).to.deep.include({ outcome: 'duplicate', status: 'PENDING' });
    });

    it('an unknown invoice is answered without storing anything', async () => {
      expect(await hook(callback({ ...p, invoiceId: `sbx_${'0'.repeat(32)}` }, 'PAID'))).to.deep.equal({
        received: true,
        outcome: 'unknown-invoice',
      });
      expect(await events({ ...p, invoiceId: `sbx_${'0'.repeat(32)}` })).to.deep.equal([]);
      expect((await paymentOf(p.id)).status).to.equal('PENDING');
    });

    it('the token is checked first: a wrong or missing one is 401 even for a malformed body; nothing is stored', async () => {
      for (const headers of [
        {},
        { 'x-callback-token': `${token}x` },
        { 'x-callback-token': [`wrong-${token}`, token] },
      ]) {
        await rejects(hook(callback(p, 'PAID'), headers), 'PAYMENT.WEBHOOK_TOKEN_INVALID');
        await rejects(hook({ nonsense: true }, headers), 'PAYMENT.WEBHOOK_TOKEN_INVALID');
      }
      expect(await events(p)).to.deep.equal([]);
      expect((await paymentOf(p.id)).status).to.equal('PENDING');
    });

    it("a malformed body with the right token is PAYMENT.WEBHOOK_INVALID; another gateway's URL is PAYMENT.UNKNOWN_GATEWAY", async () => {
      const e = await rejects(hook({ ...callback(p, 'PAID'), status: 'PENDING' }), 'PAYMENT.WEBHOOK_INVALID');
      expect(e.message).to.contain('status "PENDING"');
      await rejects(hook(callback(p, 'PAID'), undefined, 'xendit'), 'PAYMENT.UNKNOWN_GATEWAY');
      expect(await events(p)).to.deep.equal([]);
    });

    it('a request paid after it was cancelled is marked PAID and operators are told to refund', async () => {
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), requestId, null);
      expect(await hook(callback(p, 'PAID'))).to.deep.include({ outcome: 'applied', status: 'PAID' });
      expect(await requestOf(requestId)).to.deep.include({ status: 'CANCELLED', paymentStatus: 'PAID' });
      expect(w.alerts).to.have.length(1);
      expect(w.alerts[0]).to.deep.include({ kind: 'PAYMENT_ANOMALY', key: `sandbox:${p.invoiceId}:PAID` });
      expect(w.alerts[0]?.title).to.equal(
        `Request ${requestId} was paid after it was cancelled: refund payment ${p.id}`,
      );
    });

    it('a second payment of an already paid request is applied and operators are told to refund the extra one', async () => {
      await hook(callback(p, 'FAILED'));
      const second = (await pay(requestId)).payment;
      expect(await hook(callback(p, 'PAID')), 'the first invoice was paid after all').to.deep.include({
        outcome: 'applied',
        status: 'PAID',
      });
      expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
      expect(w.alerts).to.deep.equal([]);
      expect(await hook(callback(second, 'PAID'))).to.deep.include({ outcome: 'applied', status: 'PAID' });
      expect(w.alerts.map((a) => a.title)).to.deep.equal([
        `Request ${requestId} was paid again (payment ${second.id}, PENDING before; request PAID): refund the extra payment`,
      ]);
    });

    it('the expiry of an older invoice leaves a paid request alone', async () => {
      await hook(callback(p, 'FAILED'));
      const second = (await pay(requestId)).payment;
      await hook(callback(second, 'PAID'));
      expect(await hook(callback(p, 'EXPIRED'))).to.deep.include({ outcome: 'ignored' });
      expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
    });
  });
});
