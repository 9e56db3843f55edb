/**
 * The PaymentGateway contract against both adapters: the sandbox (in-process invoices; its callbacks are
 * really POSTed over HTTP, as a person pressing its checkout buttons makes it do) and XenditGateway against
 * the local Xendit imitation (127.0.0.1 only), whose callbacks are POSTed the way Xendit documents them.
 * Both callbacks land on a local catcher and are parsed from what arrived there.
 */
import { expect } from 'chai';
import { SandboxGateway, SANDBOX_INVOICE_ID } from '../../src/adapters/payments/sandbox-gateway.js';
import { XenditGateway } from '../../src/adapters/payments/xendit-gateway.js';
import type { Payment } from '../../src/domain/customer/payment.js';
import type { WebhookEvent } from '../../src/ports/payments.js';
import { freePort } from '../support/net.js';
import { startXenditImitation } from '../support/xendit-imitation.js';
import {
  invoiceRequest,
  paymentGatewayContract,
  webhookCatcher,
  type Callback,
  type GatewaySubject,
} from './payment-gateway.contract.js';

const TOKEN = 'cb-token-0123456789abcdef';
const NOW = new Date('2026-11-24T02:00:00.000Z');
const SECRET_KEY = 'xnd_development_0123456789abcdef';

/** The payments table as the sandbox reads it (findByInvoice), filled the way CreateRequestPayment fills it. */
function paymentsTable() {
  const rows = new Map<string, Payment>();
  return {
    rows,
    findByInvoice: async (gateway: string, invoiceId: string) =>
      [...rows.values()].find((p) => p.gateway === gateway && p.invoiceId === invoiceId) ?? null,
  };
}

async function sandboxSubject(
  opts: { now?: () => Date } = {},
): Promise<GatewaySubject & { sandbox: SandboxGateway; hook: { received: Callback[] } }> {
  const hook = await webhookCatcher();
  const table = paymentsTable();
  const make = (callbackToken: string) =>
    new SandboxGateway({
      checkoutBaseUrl: 'https://cardano.example.com/',
      webhookUrl: hook.url,
      callbackToken,
      payments: table,
      now: opts.now ?? (() => NOW),
      timeoutMs: 2000,
    });
  const sandbox = make(TOKEN);
  return {
    sandbox,
    hook,
    gateway: sandbox,
    token: TOKEN,
    now: NOW,
    withToken: make,
    record: async (r, inv) => {
      table.rows.set(r.externalId, {
        id: r.externalId,
        customerId: 'c',
        purpose: 'INSPECTION_REQUEST',
        requestId: 'r',
        creditPackageId: null,
        credits: null,
        amountIdr: r.amountIdr,
        currency: 'IDR',
        gateway: 'sandbox',
        invoiceId: inv.invoiceId,
        invoiceUrl: inv.invoiceUrl,
        status: 'PENDING',
        expiresAt: inv.expiresAt,
        paidAt: null,
        createdAt: NOW,
        updatedAt: NOW,
      });
    },
    billed: async (invoiceId) => {
      const inv = (await sandbox.invoice(invoiceId)) ?? expect.fail(`the sandbox does not know ${invoiceId}`);
      return {
        externalId: inv.externalId,
        amountIdr: inv.amountIdr,
        currency: inv.currency,
        description: inv.description,
        payerEmail: inv.payerEmail,
      };
    },
    settle: async (invoiceId, outcome): Promise<Callback> => {
      const before = hook.received.length;
      const delivery = await sandbox.complete(invoiceId, outcome === 'PAID' ? 'pay' : 'expire');
      expect(delivery?.sent).to.equal(outcome);
      expect(delivery?.webhook.status, 'the webhook was reached').to.equal(200);
      return hook.received[before] ?? expect.fail('no callback arrived');
    },
    cleanup: () => hook.stop(),
  };
}

async function xenditSubject(): Promise<GatewaySubject> {
  const hook = await webhookCatcher();
  const xendit = await startXenditImitation({
    secretKey: SECRET_KEY,
    callbackToken: TOKEN,
    webhookUrl: hook.url,
    now: () => NOW,
  });
  const make = (callbackToken: string, over: { apiUrl?: string; secretKey?: string } = {}) =>
    new XenditGateway({
      apiUrl: xendit.url,
      secretKey: SECRET_KEY,
      callbackToken,
      now: () => NOW,
      timeoutMs: 2000,
      ...over,
    });
  return {
    gateway: make(TOKEN),
    token: TOKEN,
    now: NOW,
    withToken: make,
    record: async () => undefined,
    billed: async (invoiceId) => {
      const inv = xendit.invoices.get(invoiceId) ?? expect.fail(`Xendit does not know ${invoiceId}`);
      return {
        externalId: inv.external_id,
        amountIdr: inv.amount,
        currency: inv.currency,
        description: inv.description,
        payerEmail: inv.payer_email ?? null,
      };
    },
    settle: async (invoiceId, outcome): Promise<Callback> => {
      const before = hook.received.length;
      expect(
        await xendit.settle(invoiceId, outcome, new Date(NOW.getTime() + 600_000)),
        'the webhook was reached',
      ).to.equal(200);
      return hook.received[before] ?? expect.fail('no callback arrived');
    },
    failures: {
      unreachable: async () => make(TOKEN, { apiUrl: `http://127.0.0.1:${await freePort()}` }),
      refusing: async () => make(TOKEN, { secretKey: 'xnd_development_wrong_key_000000' }),
    },
    cleanup: async () => {
      await xendit.stop();
      await hook.stop();
    },
  };
}

paymentGatewayContract('SandboxGateway', sandboxSubject, { remote: false });
paymentGatewayContract('XenditGateway (local imitation)', xenditSubject, { remote: true });

describe('SandboxGateway specifics', () => {
  let s: Awaited<ReturnType<typeof sandboxSubject>>;
  let clock: Date;
  beforeEach(async () => {
    clock = NOW;
    s = await sandboxSubject({ now: () => clock });
  });
  afterEach(() => s.cleanup());

  const open = async (over: Parameters<typeof invoiceRequest>[1] = {}) => {
    const request = invoiceRequest(NOW, over);
    const invoice = await s.sandbox.createInvoice(request);
    await s.record(request, invoice);
    return { request, invoice };
  };

  it('opens invoices in-process: sbx_ ids, checkout pages under its own origin (a trailing slash is dropped), the expiry as asked', async () => {
    const { request, invoice } = await open();
    expect(invoice.invoiceId).to.match(SANDBOX_INVOICE_ID);
    expect(invoice.invoiceUrl).to.equal(`https://cardano.example.com/sandbox/checkout/${invoice.invoiceId}`);
    expect(invoice.expiresAt).to.equal(request.expiresAt);
  });

  it('shows an invoice from the payments table and its notes; an unknown or malformed id is null', async () => {
    const { request, invoice } = await open();
    expect(await s.sandbox.invoice(invoice.invoiceId)).to.deep.equal({
      invoiceId: invoice.invoiceId,
      externalId: request.externalId,
      amountIdr: 350000,
      currency: 'IDR',
      status: 'PENDING',
      description: request.description,
      payerEmail: 'budi@example.com',
      expiresAt: request.expiresAt,
      successRedirectUrl: 'https://app.example.com/paid',
      failureRedirectUrl: 'https://app.example.com/failed',
    });
    expect(await s.sandbox.invoice(`sbx_${'0'.repeat(32)}`)).to.equal(null);
    expect(await s.sandbox.invoice('../../etc/passwd')).to.equal(null);
    expect(await s.sandbox.complete(`sbx_${'0'.repeat(32)}`, 'pay')).to.equal(null);
  });

  it('the fail button sends FAILED (a sandbox-only status), parsed as FAILED without a payment time', async () => {
    const { request, invoice } = await open();
    const d = await s.sandbox.complete(invoice.invoiceId, 'fail');
    expect(d?.sent).to.equal('FAILED');
    const cb = s.hook.received.at(-1) ?? expect.fail('no callback arrived');
    expect(cb.body).to.not.have.property('paid_amount');
    expect(s.sandbox.parseWebhook(cb.headers, cb.body) as WebhookEvent).to.deep.include({
      status: 'FAILED',
      invoiceId: invoice.invoiceId,
      externalId: request.externalId,
      amount: 350000,
      paidAt: null,
      token: TOKEN,
    });
  });

  it('paying after the expiry sends EXPIRED, as the real gateway would have', async () => {
    const { invoice } = await open();
    clock = new Date(NOW.getTime() + 25 * 3600_000);
    const d = await s.sandbox.complete(invoice.invoiceId, 'pay');
    expect(d?.sent).to.equal('EXPIRED');
    expect(d?.webhook.status).to.equal(200);
  });

  it('an unreachable webhook is reported as status 0 with the error, not thrown', async () => {
    const { invoice } = await open();
    await s.cleanup();
    const d = await s.sandbox.complete(invoice.invoiceId, 'pay');
    expect(d?.sent).to.equal('PAID');
    expect(d?.webhook.status).to.equal(0);
    expect(d?.webhook.body).to.be.a('string').and.not.empty;
  });
});

describe('XenditGateway specifics (local imitation)', () => {
  it('asks Xendit for at least 60 s and takes the expiry Xendit answers', async () => {
    const xendit = await startXenditImitation({ secretKey: SECRET_KEY, now: () => NOW });
    try {
      const gw = new XenditGateway({
        apiUrl: xendit.url,
        secretKey: SECRET_KEY,
        callbackToken: TOKEN,
        now: () => NOW,
        timeoutMs: 2000,
      });
      const inv = await gw.createInvoice(invoiceRequest(NOW, { expiresAt: new Date(NOW.getTime() + 5_000) }));
      expect(xendit.seen[0]?.body.invoice_duration).to.equal(60);
      expect(inv.expiresAt.toISOString()).to.equal(new Date(NOW.getTime() + 60_000).toISOString());
    } finally {
      await xendit.stop();
    }
  });

  it('keeps the requested expiry when Xendit answers without one (or with no date)', async () => {
    for (const expiry_date of [undefined, 'soon']) {
      const xendit = await startXenditImitation({
        secretKey: SECRET_KEY,
        answer: (seen) => ({
          status: 200,
          body: {
            id: 'inv-1',
            invoice_url: 'https://checkout-staging.xendit.co/web/inv-1',
            external_id: seen.body.external_id,
            ...(expiry_date ? { expiry_date } : {}),
          },
        }),
      });
      try {
        const gw = new XenditGateway({
          apiUrl: xendit.url,
          secretKey: SECRET_KEY,
          callbackToken: TOKEN,
          now: () => NOW,
          timeoutMs: 2000,
        });
        const request = invoiceRequest(NOW);
        expect((await gw.createInvoice(request)).expiresAt.toISOString(), String(expiry_date)).to.equal(
          request.expiresAt.toISOString(),
        );
      } finally {
        await xendit.stop();
      }
    }
  });
});
