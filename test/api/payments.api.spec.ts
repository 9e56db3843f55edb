/**
 * Payments and credits end to end on PostgreSQL with the sandbox gateway. The app really listens on
 * 127.0.0.1 (PUBLIC_BASE_URL and REPORT_BASE_URL point at it): the sandbox checkout is opened and its buttons
 * pressed over HTTP, and the sandbox then calls our webhook over HTTP exactly as Xendit would (same JSON
 * shape, x-callback-token). Webhook calls a gateway would repeat or forge are sent directly with supertest.
 */
import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import type { Payment } from '../../src/domain/customer/payment.js';
import type { CustomerInspectionRequest } from '../../src/domain/customer/inspection-request.js';
import type { Inspection } from '../../src/domain/inspection/inspection.js';
import { Notifier, type Alert } from '../../src/ports/notifier.js';
import { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { buildTestApp, servedTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs } from '../support/inspections.js';

const WEBHOOK = '/api/v1/payments/webhook/sandbox';

describe('API: payments, sandbox checkout, webhook and credits (PostgreSQL, real HTTP callbacks)', () => {
  let knex: Knex;
  let t: TestApp;
  let base: string;
  let alerts: Alert[];
  let customer: TestActor;
  let other: TestActor;
  let admin: TestActor;
  let inspector: TestActor;
  let token: string;

  useTestDatabase((k) => (knex = k), 10);
  let close: () => Promise<void>;
  beforeEach(async () => {
    alerts = [];
    const recorder: Notifier = { notify: async (a) => void alerts.push(a) };
    const served = await servedTestApp((url) => ({
      knex,
      env: { PUBLIC_BASE_URL: url, REPORT_BASE_URL: url, PAYMENT_SUCCESS_URL: 'https://app.example.com/paid' },
      overrides: [new ContainerModule(({ rebind }) => void rebind<Notifier>(Notifier).toConstantValue(recorder))],
    }));
    ({ base, close } = served);
    t = served;
    const actors = new Actors(t.container);
    customer = await actors.create('CUSTOMER');
    other = await actors.create('CUSTOMER');
    admin = await actors.create('ADMIN');
    inspector = await actors.create('INSPECTOR');
    token = t.config.payments.webhookToken as string;
  });
  afterEach(() => close());

  const uow = () => t.container.get<UnitOfWork>(UnitOfWork);

  async function newRequest(owner: TestActor, priceIdr = 350000): Promise<string> {
    const id = randomUUID();
    await uow().run((tx) =>
      tx.inspectionRequests.create(
        {
          id,
          customerId: owner.user.id,
          vehicleId: null,
          vehicleDescription: { plateNumber: 'AB 1234 CD', brand: 'Toyota' },
          vehicleClass: 'REGULAR',
          preferredSchedule: new Date(Date.now() + 86400_000),
          notes: null,
          priceIdr,
          priceId: null,
          createdBy: owner.user.id,
        },
        new Date(),
      ),
    );
    return id;
  }
  const requestOf = (id: string) =>
    uow().run((tx) => tx.inspectionRequests.findById(id)) as Promise<CustomerInspectionRequest>;
  const paymentOf = async (id: string) => (await uow().run((tx) => tx.payments.findById(id))) as Payment;
  const events = (invoiceId: string) => knex('payment_events').where({ invoice_id: invoiceId }).orderBy('received_at');
  const pay = (id: string) => t.api.post(`/api/v1/me/inspection-requests/${id}/payments`).set(customer.auth);
  /** Presses a button of the sandbox checkout page over HTTP, as a person would (JSON answer for the test). */
  const press = async (p: Payment, action: 'pay' | 'fail' | 'expire') => {
    const res = await fetch(`${p.invoiceUrl}/${action}`, { method: 'POST', headers: { accept: 'application/json' } });
    expect(res.status, action).to.equal(200);
    return (await res.json()) as {
      sent: string;
      status: string;
      webhook: { status: number; body: { outcome: string } };
    };
  };
  const callback = (p: Payment, over: Record<string, unknown> = {}) => ({
    id: p.invoiceId,
    external_id: p.id,
    status: 'PAID',
    amount: p.amountIdr,
    paid_amount: p.amountIdr,
    currency: 'IDR',
    paid_at: new Date().toISOString(),
    ...over,
  });

  it('a customer pays a request through the sandbox checkout: invoice, page, PAID callback over HTTP, request PAID', async () => {
    const requestId = await newRequest(customer);
    const created = await pay(requestId);
    expect(created.status).to.equal(201);
    const p = created.body as Payment;
    expect(p).to.deep.include({
      purpose: 'INSPECTION_REQUEST',
      requestId,
      amountIdr: 350000,
      currency: 'IDR',
      gateway: 'sandbox',
      status: 'PENDING',
      paidAt: null,
      customerId: customer.user.id,
    });
    expect(p.invoiceUrl).to.match(new RegExp(`^${base}/sandbox/checkout/sbx_[0-9a-f]{32}$`));
    expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
    const again = await pay(requestId);
    expect(again.status, 'the open invoice is answered again').to.equal(200);
    expect(again.body.id).to.equal(p.id);
    expect(await knex('payments').count({ n: '*' }).first()).to.deep.equal({ n: 1 });

    const page = await fetch(p.invoiceUrl as string);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    const html = await page.text();
    expect(html)
      .to.contain('Rp 350.000')
      .and.to.contain(`/sandbox/checkout/${p.invoiceId}/pay`)
      .and.to.contain(`/sandbox/checkout/${p.invoiceId}/fail`)
      .and.to.contain(customer.user.email as string);

    const done = await press(p, 'pay');
    expect(done).to.deep.include({ sent: 'PAID', status: 'PAID' });
    expect(done.webhook.status).to.equal(200);
    expect(done.webhook.body).to.deep.include({ received: true, outcome: 'applied', paymentId: p.id, status: 'PAID' });

    const after = await paymentOf(p.id);
    expect(after.status).to.equal('PAID');
    expect(after.paidAt).to.be.instanceOf(Date);
    expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
    const ev = await events(p.invoiceId as string);
    expect(ev.map((e) => [e.status, e.outcome, e.payment_id])).to.deep.equal([['PAID', 'applied', p.id]]);
    expect(ev[0].payload).to.deep.include({
      id: p.invoiceId,
      external_id: p.id,
      status: 'PAID',
      amount: 350000,
      currency: 'IDR',
      payer_email: customer.user.email,
    });

    const mine = await t.api.get('/api/v1/me/payments').set(customer.auth);
    expect(mine.status).to.equal(200);
    expect(mine.body).to.deep.include({ total: 1, page: 1 });
    expect(mine.body.items[0]).to.deep.include({ id: p.id, status: 'PAID' });
    expect((await t.api.get('/api/v1/me/payments').set(other.auth)).body.total, 'only your own').to.equal(0);
    const audit = await knex('audit_logs')
      .whereIn('action', ['PAYMENT_CREATED', 'PAYMENT_APPLIED'])
      .orderBy('id')
      .select('action', 'entity_id', 'actor_id');
    expect(audit).to.deep.equal([
      { action: 'PAYMENT_CREATED', entity_id: p.id, actor_id: customer.user.id },
      { action: 'PAYMENT_APPLIED', entity_id: p.id, actor_id: null },
    ]);
    const paidAgain = await pay(requestId);
    expect(paidAgain.status).to.equal(409);
    expect(paidAgain.body.code).to.equal('PAYMENT.ALREADY_SETTLED');
  });

  it('the sandbox checkout answers a person with HTML, and unknown invoices or actions with 404', async () => {
    const p = (await pay(await newRequest(customer))).body as Payment;
    const res = await fetch(`${p.invoiceUrl}/fail`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const html = await res.text();
    expect(html)
      .to.contain('<h1>FAILED</h1>')
      .and.to.contain('<strong id="webhook-status">200</strong>')
      .and.to.contain('&quot;outcome&quot;: &quot;applied&quot;');
    expect((await paymentOf(p.id)).status).to.equal('FAILED');
    const unknown = await fetch(`${base}/sandbox/checkout/sbx_${'0'.repeat(32)}`);
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as { code: string }).code).to.equal('PAYMENT.INVOICE_NOT_FOUND');
    expect((await fetch(`${base}/sandbox/checkout/not-an-invoice/pay`, { method: 'POST' })).status).to.equal(404);
    expect((await fetch(`${p.invoiceUrl}/refund`, { method: 'POST' })).status).to.equal(404);
    // Names every object inherits are not actions (they used to pass an `in` check and mark the invoice FAILED).
    const fresh = (await pay(await newRequest(customer))).body as Payment;
    for (const inherited of ['hasOwnProperty', 'constructor', 'toString', 'valueOf', '__proto__']) {
      const r = await fetch(`${fresh.invoiceUrl}/${inherited}`, { method: 'POST' });
      expect(r.status, inherited).to.equal(404);
      expect(((await r.json()) as { code: string }).code, inherited).to.equal('ROUTE.NOT_FOUND');
    }
    expect((await paymentOf(fresh.id)).status, 'the invoice is untouched').to.equal('PENDING');
    expect(await knex('payment_events').count({ n: '*' }).first(), 'only the FAILED callback').to.deep.equal({ n: 1 });
  });

  it('the sandbox checkout exists only with PAYMENT_DRIVER=sandbox', async () => {
    const xendit = buildTestApp({
      knex,
      env: {
        PAYMENT_DRIVER: 'xendit',
        XENDIT_SECRET_KEY: 'xnd_development_0123456789abcdef',
        XENDIT_API_URL: 'http://127.0.0.1:9',
      },
    });
    const res = await supertest(xendit.app).get(`/sandbox/checkout/sbx_${'0'.repeat(32)}`);
    expect(res.status).to.equal(404);
    expect(res.body.code).to.equal('ROUTE.NOT_FOUND');
    const unreachable = await xendit.api
      .post(`/api/v1/me/inspection-requests/${await newRequest(customer)}/payments`)
      .set(customer.auth);
    expect(unreachable.status, 'Xendit down: nothing recorded').to.equal(503);
    expect(unreachable.body.code).to.equal('PAYMENT.GATEWAY_UNAVAILABLE');
    expect(await knex('payments').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('a duplicate PAID callback does not apply twice; EXPIRED or FAILED after PAID are ignored', async () => {
    const requestId = await newRequest(customer);
    const p = (await pay(requestId)).body as Payment;
    expect((await press(p, 'pay')).webhook.body.outcome).to.equal('applied');
    const first = await paymentOf(p.id);

    const replay = await press(p, 'pay');
    expect(replay.webhook.body).to.deep.include({ outcome: 'duplicate', status: 'PAID' });
    const resent = await t.api
      .post(WEBHOOK)
      .set('x-callback-token', token)
      .send(callback(p, { paid_at: new Date(Date.now() + 5000).toISOString() }));
    expect(resent.status).to.equal(200);
    expect(resent.body).to.deep.equal({ received: true, outcome: 'duplicate', paymentId: p.id, status: 'PAID' });
    const settled = await t.api
      .post(WEBHOOK)
      .set('x-callback-token', token)
      .send(callback(p, { status: 'SETTLED' }));
    expect(settled.body.outcome, 'SETTLED after PAID changes nothing').to.equal('ignored');
    const expired = await press(p, 'expire');
    expect(expired.webhook.body).to.deep.include({ outcome: 'ignored', status: 'PAID' });
    const failed = await press(p, 'fail');
    expect(failed.webhook.body).to.deep.include({ outcome: 'ignored', status: 'PAID' });

    const after = await paymentOf(p.id);
    expect(after.status).to.equal('PAID');
    expect(after.paidAt?.toISOString(), 'paidAt of the first PAID').to.equal(first.paidAt?.toISOString());
    expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
    expect((await events(p.invoiceId as string)).map((e) => [e.status, e.outcome])).to.deep.equal([
      ['PAID', 'applied'],
      ['SETTLED', 'ignored'],
      ['EXPIRED', 'ignored'],
      ['FAILED', 'ignored'],
    ]);
    expect(await knex('audit_logs').where({ action: 'PAYMENT_APPLIED' }).count({ n: '*' }).first()).to.deep.equal({
      n: 1,
    });
  });

  it('an EXPIRED invoice can be retried: a new invoice for the same price, and paying it settles the request', async () => {
    const requestId = await newRequest(customer);
    const first = (await pay(requestId)).body as Payment;
    const expired = await press(first, 'expire');
    expect(expired.webhook.body).to.deep.include({ outcome: 'applied', status: 'EXPIRED' });
    expect((await requestOf(requestId)).paymentStatus, 'no open invoice any more').to.equal('UNPAID');

    const retry = await pay(requestId);
    expect(retry.status).to.equal(201);
    const second = retry.body as Payment;
    expect(second.id).to.not.equal(first.id);
    expect(second.invoiceId).to.not.equal(first.invoiceId);
    expect(second).to.deep.include({ amountIdr: 350000, status: 'PENDING' });
    expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
    expect((await press(second, 'pay')).webhook.body.outcome).to.equal('applied');
    expect((await requestOf(requestId)).paymentStatus).to.equal('PAID');
    expect((await paymentOf(first.id)).status).to.equal('EXPIRED');

    // A FAILED invoice is retried the same way.
    const other = await newRequest(customer);
    const f = (await pay(other)).body as Payment;
    expect((await press(f, 'fail')).webhook.body).to.deep.include({ outcome: 'applied', status: 'FAILED' });
    const r2 = await pay(other);
    expect(r2.status).to.equal(201);
    expect(r2.body.id).to.not.equal(f.id);
  });

  it('an invoice past its expiry without a callback is closed locally and replaced by the retry', async () => {
    const requestId = await newRequest(customer);
    const first = (await pay(requestId)).body as Payment;
    await knex('payments')
      .where({ id: first.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const retry = await pay(requestId);
    expect(retry.status).to.equal(201);
    expect((await paymentOf(first.id)).status).to.equal('EXPIRED');
    // The sandbox refuses to take money for the overdue invoice: it reports EXPIRED (ignored: already EXPIRED).
    const late = await press(first, 'pay');
    expect(late.sent).to.equal('EXPIRED');
    expect(late.webhook.body.outcome).to.equal('ignored');
  });

  it('the webhook refuses a wrong or missing token with 401 and stores nothing', async () => {
    const requestId = await newRequest(customer);
    const p = (await pay(requestId)).body as Payment;
    for (const bad of [token.replace(/.$/, (c) => (c === '0' ? '1' : '0')), `${token}x`, 'short']) {
      const res = await t.api.post(WEBHOOK).set('x-callback-token', bad).send(callback(p));
      expect(res.status, bad).to.equal(401);
      expect(res.body.code).to.equal('PAYMENT.WEBHOOK_TOKEN_INVALID');
    }
    const none = await t.api.post(WEBHOOK).send(callback(p));
    expect(none.status).to.equal(401);
    expect(await knex('payment_events').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect((await paymentOf(p.id)).status).to.equal('PENDING');
    expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
    const otherGateway = await t.api
      .post('/api/v1/payments/webhook/xendit')
      .set('x-callback-token', token)
      .send(callback(p));
    expect(otherGateway.status, 'a gateway that is not configured').to.equal(404);
    expect(otherGateway.body.code).to.equal('PAYMENT.UNKNOWN_GATEWAY');
    const unreadable = await t.api
      .post(WEBHOOK)
      .set('x-callback-token', token)
      .send(callback(p, { status: 'PENDING' }));
    expect(unreadable.status).to.equal(400);
    expect(unreadable.body.code).to.equal('PAYMENT.WEBHOOK_INVALID');
  });

  it('an unknown invoice is answered 200 without side effects', async () => {
    const requestId = await newRequest(customer);
    const p = (await pay(requestId)).body as Payment;
    const auditBefore = await knex('audit_logs').count({ n: '*' }).first();
    const res = await t.api
      .post(WEBHOOK)
      .set('x-callback-token', token)
      .send(callback(p, { id: 'sbx_00000000000000000000000000000000', external_id: randomUUID() }));
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ received: true, outcome: 'unknown-invoice' });
    expect(await knex('payment_events').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await knex('audit_logs').count({ n: '*' }).first()).to.deep.equal(auditBefore);
    expect((await paymentOf(p.id)).status).to.equal('PENDING');
    expect(alerts).to.deep.equal([]);
  });

  it('an amount or currency mismatch is stored as such, leaves the payment alone and alerts operators', async () => {
    const requestId = await newRequest(customer);
    const p = (await pay(requestId)).body as Payment;
    const res = await t.api
      .post(WEBHOOK)
      .set('x-callback-token', token)
      .send(callback(p, { amount: 1000, paid_amount: 1000 }));
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ received: true, outcome: 'mismatch', paymentId: p.id, status: 'PENDING' });
    expect((await paymentOf(p.id)).status).to.equal('PENDING');
    expect((await requestOf(requestId)).paymentStatus).to.equal('PENDING');
    expect((await events(p.invoiceId as string)).map((e) => [e.status, e.outcome])).to.deep.equal([
      ['PAID', 'mismatch'],
    ]);
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.deep.include({ kind: 'PAYMENT_ANOMALY', severity: 'warning' });
    expect(alerts[0]?.title).to.contain('amount 1000 instead of 350000');

    const other = await newRequest(customer);
    const q = (await pay(other)).body as Payment;
    const usd = await t.api
      .post(WEBHOOK)
      .set('x-callback-token', token)
      .send(callback(q, { currency: 'USD' }));
    expect(usd.body.outcome).to.equal('mismatch');
    expect(alerts[1]?.title).to.contain('currency USD');
    expect((await paymentOf(q.id)).status).to.equal('PENDING');
  });

  it('only the owner pays a request, and only while it is open', async () => {
    const requestId = await newRequest(customer);
    const stranger = await t.api.post(`/api/v1/me/inspection-requests/${requestId}/payments`).set(other.auth);
    expect(stranger.status).to.equal(404);
    expect(stranger.body.code).to.equal('REQUEST.NOT_FOUND');
    expect((await pay(randomUUID())).status).to.equal(404);
    await knex('customer_inspection_requests').where({ id: requestId }).update({ status: 'CANCELLED' });
    const closed = await pay(requestId);
    expect(closed.status).to.equal(409);
    expect(closed.body.code).to.equal('PAYMENT.REQUEST_CLOSED');
    const waived = await newRequest(customer);
    await knex('customer_inspection_requests')
      .where({ id: waived })
      .update({ payment_status: 'WAIVED', payment_waiver_reason: 'partner' });
    expect((await pay(waived)).body.code).to.equal('PAYMENT.ALREADY_SETTLED');
    const free = await newRequest(customer, 0);
    expect((await pay(free)).status).to.equal(422);
    expect(await knex('payments').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('an admin cancelling a paid request marks the payment for refund', async () => {
    const requestId = await newRequest(customer);
    const p = (await pay(requestId)).body as Payment;
    await press(p, 'pay');
    const cancel = await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/status`)
      .set(admin.auth)
      .send({ status: 'CANCELLED', reason: 'Customer asked to cancel.' });
    expect(cancel.status, JSON.stringify(cancel.body)).to.equal(200);
    expect((await paymentOf(p.id)).status).to.equal('REFUND_PENDING');
    expect((await requestOf(requestId)).paymentStatus).to.equal('REFUND_PENDING');
    expect(
      await knex('audit_logs').where({ action: 'REFUND_MARKED', entity_id: p.id }).count({ n: '*' }).first(),
    ).to.deep.equal({ n: 1 });
    // A late EXPIRED for the refunded invoice changes nothing.
    expect((await press(p, 'expire')).webhook.body.outcome).to.equal('ignored');
    expect((await paymentOf(p.id)).status).to.equal('REFUND_PENDING');
  });

  describe('credits', () => {
    async function buyCredits(credits: number, priceIdr = 100000) {
      const made = await t.api
        .post('/api/v1/admin/credit-packages')
        .set(admin.auth)
        .send({ name: `Pack ${credits}`, credits, priceIdr });
      expect(made.status).to.equal(201);
      const bought = await t.api
        .post('/api/v1/me/credit-purchases')
        .set(customer.auth)
        .send({ packageId: made.body.id });
      expect(bought.status).to.equal(201);
      expect(bought.body).to.deep.include({
        purpose: 'CREDIT_PACKAGE',
        credits,
        amountIdr: priceIdr,
        status: 'PENDING',
        creditPackageId: made.body.id,
      });
      const done = await press(bought.body as Payment, 'pay');
      expect(done.webhook.body.outcome).to.equal('applied');
      return bought.body as Payment;
    }

    /** Inspections whose reports are finished (ARCHIVED), of nobody in particular. */
    async function finishedInspections(n: number): Promise<Inspection[]> {
      const out: Inspection[] = [];
      for (let i = 0; i < n; i++)
        out.push(await createInspectionAs(t.container, inspector, { inspectionDate: '2025-05-01' }));
      await knex('inspections')
        .whereIn(
          'id',
          out.map((i) => i.id),
        )
        .update({ status: 'ARCHIVED' });
      return out;
    }

    const unlock = (prettyId: string, who = customer) =>
      t.api.post('/api/v1/me/report-unlocks').set(who.auth).send({ prettyId });

    it('packages: admins create and change them; the public list shows the active ones, cheapest first', async () => {
      const big = await t.api
        .post('/api/v1/admin/credit-packages')
        .set(admin.auth)
        .send({ name: 'Big', credits: 20, priceIdr: 300000 });
      const small = await t.api
        .post('/api/v1/admin/credit-packages')
        .set(admin.auth)
        .send({ name: 'Small', credits: 5, priceIdr: 100000 });
      expect(big.status).to.equal(201);
      expect(big.headers.location).to.equal(`/api/v1/admin/credit-packages/${big.body.id}`);
      expect(
        (await t.api.get('/api/v1/credit-packages')).body.items.map((p: { name: string }) => p.name),
      ).to.deep.equal(['Small', 'Big']);
      const off = await t.api
        .patch(`/api/v1/admin/credit-packages/${small.body.id}`)
        .set(admin.auth)
        .send({ active: false, priceIdr: 90000 });
      expect(off.status).to.equal(200);
      expect(off.body).to.deep.include({ active: false, priceIdr: 90000, credits: 5 });
      expect(
        (await t.api.get('/api/v1/credit-packages')).body.items.map((p: { name: string }) => p.name),
      ).to.deep.equal(['Big']);
      expect((await t.api.get('/api/v1/admin/credit-packages').set(admin.auth)).body.items).to.have.length(2);
      const inactive = await t.api
        .post('/api/v1/me/credit-purchases')
        .set(customer.auth)
        .send({ packageId: small.body.id });
      expect(inactive.status).to.equal(404);
      expect(inactive.body.code).to.equal('CREDITS.PACKAGE_NOT_FOUND');
      expect(
        (await t.api.patch(`/api/v1/admin/credit-packages/${randomUUID()}`).set(admin.auth).send({ active: true }))
          .status,
      ).to.equal(404);
      expect(
        await knex('audit_logs').where({ action: 'CREDIT_PACKAGE_SAVED' }).count({ n: '*' }).first(),
      ).to.deep.equal({ n: 3 });
    });

    it('a paid package is credited once, however often the gateway calls', async () => {
      const p = await buyCredits(5);
      expect((await press(p, 'pay')).webhook.body.outcome).to.equal('duplicate');
      const settled = await t.api
        .post(WEBHOOK)
        .set('x-callback-token', token)
        .send(callback(p, { status: 'SETTLED' }));
      expect(settled.body.outcome).to.equal('ignored');
      const mine = await t.api.get('/api/v1/me/credits').set(customer.auth);
      expect(mine.status).to.equal(200);
      expect(mine.body.balance).to.equal(5);
      expect(
        mine.body.ledger.items.map((e: { delta: number; reason: string; paymentId: string }) => [
          e.delta,
          e.reason,
          e.paymentId,
        ]),
      ).to.deep.equal([[5, 'PURCHASE', p.id]]);
      expect((await t.api.get('/api/v1/me/credits').set(other.auth)).body).to.deep.include({ balance: 0 });
      expect(await knex('audit_logs').where({ action: 'CREDITS_PURCHASED' }).count({ n: '*' }).first()).to.deep.equal({
        n: 1,
      });
    });

    it('opening a report costs one credit once; own inspections are free; 402 without credits; unfinished reports are not for sale', async () => {
      const [a, b, own] = (await finishedInspections(3)) as [Inspection, Inspection, Inspection];
      await knex('inspections').where({ id: own.id }).update({ customer_user_id: customer.user.id });
      const broke = await unlock(a.prettyId);
      expect(broke.status).to.equal(402);
      expect(broke.body.code).to.equal('CREDITS.INSUFFICIENT');
      expect(await knex('report_unlocks').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      const mine = await unlock(own.prettyId);
      expect(mine.status, 'own inspection, even without credits').to.equal(200);
      expect(mine.body).to.deep.include({ charged: false, access: 'owned', balance: 0 });

      await buyCredits(1);
      const first = await unlock(a.prettyId.toLowerCase());
      expect(first.status).to.equal(201);
      expect(first.body).to.deep.equal({
        inspectionId: a.id,
        prettyId: a.prettyId,
        charged: true,
        access: 'unlocked',
        balance: 0,
      });
      const second = await unlock(a.prettyId);
      expect(second.status, 'a second open is free').to.equal(200);
      expect(second.body).to.deep.include({ charged: false, access: 'already-unlocked', balance: 0 });
      const none = await unlock(b.prettyId);
      expect(none.status).to.equal(402);
      expect(
        await knex('report_unlocks').where({ customer_id: customer.user.id }).pluck('inspection_id'),
      ).to.deep.equal([a.id]);
      expect(await knex('audit_logs').where({ action: 'REPORT_UNLOCKED' }).count({ n: '*' }).first()).to.deep.equal({
        n: 1,
      });

      // Not finished: neither ARCHIVED nor with a stored report (and never a deactivated one).
      const draft = await createInspectionAs(t.container, inspector, { inspectionDate: '2025-05-01' });
      const notReady = await unlock(draft.prettyId);
      expect(notReady.status).to.equal(404);
      expect(notReady.body.code).to.equal('CREDITS.REPORT_NOT_FOUND');
      await knex('inspections').where({ id: b.id }).update({ status: 'DEACTIVATED' });
      expect((await unlock(b.prettyId)).status).to.equal(404);
      expect((await unlock('ZZZ-01012020-999')).status).to.equal(404);
      // A stored report makes an APPROVED inspection's report available.
      await uow().run((tx) =>
        tx.reports.upsert({
          inspectionId: draft.id,
          variant: 'no-docs',
          storageDriver: 'fs',
          storageKey: `reports/${draft.id}/x.pdf`,
          sha256: 'a'.repeat(64),
          sizeBytes: 10,
          pageCount: 1,
          htmlSha256: 'b'.repeat(64),
          ipfsCid: null,
          pdfJobId: null,
          createdAt: new Date(),
        }),
      );
      await buyCredits(1);
      // Still in review (e.g. reverted, its old report withdrawn): not for sale.
      expect((await unlock(draft.prettyId)).status).to.equal(404);
      await knex('inspections').where({ id: draft.id }).update({ status: 'APPROVED' });
      expect((await unlock(draft.prettyId)).status).to.equal(201);
    });

    it('20 parallel unlocks of different reports with 5 credits: exactly 5 charged, the balance ends at 0, never below', async () => {
      const inspections = await finishedInspections(20);
      await buyCredits(5);
      const results = await Promise.all(inspections.map((i) => unlock(i.prettyId)));
      const statuses = results.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 201),
        JSON.stringify(statuses),
      ).to.have.length(5);
      expect(statuses.filter((s) => s === 402)).to.have.length(15);
      for (const r of results.filter((x) => x.status === 402)) expect(r.body.code).to.equal('CREDITS.INSUFFICIENT');
      expect(results.filter((r) => r.status === 201).every((r) => r.body.balance >= 0)).to.equal(true);
      expect(await knex('credit_accounts').where({ customer_id: customer.user.id }).first('balance')).to.deep.equal({
        balance: 0,
      });
      expect(
        await knex('report_unlocks').where({ customer_id: customer.user.id }).count({ n: '*' }).first(),
      ).to.deep.equal({ n: 5 });
      expect(
        await knex('credit_ledger')
          .where({ customer_id: customer.user.id, reason: 'REPORT_UNLOCK' })
          .sum({ s: 'delta' })
          .first(),
      ).to.deep.equal({ s: -5 });
      const credits = await t.api.get('/api/v1/me/credits?pageSize=100').set(customer.auth);
      expect(credits.body.balance).to.equal(0);
      expect(credits.body.ledger.total).to.equal(6);
    });
  });
});
