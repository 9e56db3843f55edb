import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyGatewayStatus } from '../../src/domain/customer/payment.js';
import type { DomainError } from '../../src/domain/shared/domain-error.js';
import type {
  CreatedInvoice,
  InvoiceRequest,
  PaymentGateway,
  WebhookEvent,
  WebhookRejection,
} from '../../src/ports/payments.js';
import { rejection } from '../support/rejection.js';

/** A callback as our webhook receives it: the HTTP headers (lower-case names) and the parsed JSON body. */
export interface Callback {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** What the gateway will bill for an invoice, as the gateway itself recorded it. */
export interface Billed {
  externalId: string;
  amountIdr: number;
  currency: string;
  description: string;
  payerEmail: string | null;
}

/**
 * One gateway under test, fresh for each test, with a "driver" for what differs between gateways: how an
 * invoice is paid or expires (a person pressing the sandbox's buttons; Xendit settling it) and what the gateway
 * then sends us. The contract asserts the same outcome for every gateway.
 */
export interface GatewaySubject {
  gateway: PaymentGateway;
  /** The callback token the gateway was configured with. */
  token: string;
  /** The gateway's (and our) clock: the moment the invoices are opened. */
  now: Date;
  /** The same gateway configured with another callback token (an empty one: the setting is missing). */
  withToken(token: string): PaymentGateway;
  /** What our use case does after opening an invoice: the payment row is stored (the sandbox reads it). */
  record(request: InvoiceRequest, invoice: CreatedInvoice): Promise<void>;
  /** What the gateway recorded for this invoice. */
  billed(invoiceId: string): Promise<Billed>;
  /** Pays or expires the invoice at the gateway and returns the callback the gateway sent to our webhook. */
  settle(invoiceId: string, outcome: 'PAID' | 'EXPIRED'): Promise<Callback>;
  /**
   * The ways a remote gateway fails (absent for a gateway that does no I/O when opening an invoice).
   * `unreachable`: nothing answers at its address; `refusing`: it answers, and refuses (wrong credentials).
   */
  failures?: { unreachable(): Promise<PaymentGateway>; refusing(): Promise<PaymentGateway> };
  cleanup(): Promise<void>;
}

/** A local webhook endpoint (127.0.0.1) that keeps every callback it receives and answers 200 like ours. */
export async function webhookCatcher(): Promise<{ url: string; received: Callback[]; stop(): Promise<void> }> {
  const received: Callback[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as text
      }
      received.push({ headers: { ...(req.headers as IncomingHttpHeaders) }, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/payments/webhook`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const TTL_MS = 24 * 3600_000;

/** An invoice request as CreateRequestPayment makes it (expiry: now + the invoice TTL). */
export const invoiceRequest = (now: Date, over: Partial<InvoiceRequest> = {}): InvoiceRequest => ({
  externalId: randomUUID(),
  amountIdr: 350000,
  currency: 'IDR',
  payerEmail: 'budi@example.com',
  description: 'CAR-dano inspection (REGULAR), request 5b8f0c2e',
  successRedirectUrl: 'https://app.example.com/paid',
  failureRedirectUrl: 'https://app.example.com/failed',
  expiresAt: new Date(now.getTime() + TTL_MS),
  ...over,
});

const isRejection = (r: WebhookEvent | WebhookRejection): r is WebhookRejection => 'invalid' in r;

function eventOf(r: WebhookEvent | WebhookRejection): WebhookEvent {
  if (isRejection(r)) return expect.fail(`the callback was refused: ${r.invalid}`);
  return r;
}

/** The PaymentGateway port's behaviour, for every adapter. */
export function paymentGatewayContract(
  name: string,
  factory: () => Promise<GatewaySubject>,
  capabilities: { remote: boolean },
): void {
  describe(`PaymentGateway contract: ${name}`, () => {
    let s: GatewaySubject;

    beforeEach(async () => {
      s = await factory();
    });
    afterEach(() => s.cleanup());

    async function open(
      over: Partial<InvoiceRequest> = {},
    ): Promise<{ request: InvoiceRequest; invoice: CreatedInvoice }> {
      const request = invoiceRequest(s.now, over);
      const invoice = await s.gateway.createInvoice(request);
      await s.record(request, invoice);
      return { request, invoice };
    }

    it('has a name usable as the {gateway} segment of the webhook URL', () => {
      expect(s.gateway.name).to.match(/^[a-z][a-z0-9-]*$/);
    });

    it('opens an invoice: an id, an http(s) checkout URL and the expiry asked for (the TTL), in the future', async () => {
      const { request, invoice } = await open();
      expect(invoice.invoiceId).to.be.a('string').that.is.not.empty;
      expect(new URL(invoice.invoiceUrl).protocol).to.be.oneOf(['http:', 'https:']);
      expect(invoice.invoiceUrl).to.contain(invoice.invoiceId);
      expect(invoice.expiresAt).to.be.instanceOf(Date);
      expect(invoice.expiresAt.toISOString()).to.equal(request.expiresAt.toISOString());
      expect(invoice.expiresAt.getTime() - s.now.getTime()).to.equal(TTL_MS);
    });

    it('bills exactly what was asked: our payment id as external id, the amount, IDR, the description and the payer', async () => {
      const { request, invoice } = await open({ amountIdr: 1_250_000 });
      expect(await s.billed(invoice.invoiceId)).to.deep.equal({
        externalId: request.externalId,
        amountIdr: 1_250_000,
        currency: 'IDR',
        description: request.description,
        payerEmail: 'budi@example.com',
      });
    });

    it('opens an invoice for a payer without an email address', async () => {
      const { request, invoice } = await open({ payerEmail: null });
      expect(await s.billed(invoice.invoiceId)).to.deep.include({ externalId: request.externalId, payerEmail: null });
    });

    it('gives every invoice its own id and checkout URL', async () => {
      const a = await open();
      const b = await open();
      expect(a.invoice.invoiceId).to.not.equal(b.invoice.invoiceId);
      expect(a.invoice.invoiceUrl).to.not.equal(b.invoice.invoiceUrl);
    });

    it('the callback of a paid invoice parses to a payment of our payment id, amount and currency, with the time paid and our token', async () => {
      const { request, invoice } = await open();
      const cb = await s.settle(invoice.invoiceId, 'PAID');
      const e = eventOf(s.gateway.parseWebhook(cb.headers, cb.body));
      expect(e).to.deep.include({
        invoiceId: invoice.invoiceId,
        externalId: request.externalId,
        amount: request.amountIdr,
        currency: 'IDR',
        token: s.token,
      });
      expect(applyGatewayStatus('PENDING', e.status), `status ${e.status} pays a pending payment`).to.equal('PAID');
      expect(e.paidAt).to.be.instanceOf(Date);
      expect(Number.isNaN((e.paidAt as Date).getTime())).to.equal(false);
      expect(e.payload, 'the body is kept as received').to.deep.equal(cb.body);
      expect(s.gateway.verifyToken(e.token)).to.equal(true);
    });

    it('the callback of an expired invoice parses to EXPIRED without a payment time', async () => {
      const { request, invoice } = await open();
      const cb = await s.settle(invoice.invoiceId, 'EXPIRED');
      const e = eventOf(s.gateway.parseWebhook(cb.headers, cb.body));
      expect(e).to.deep.include({
        invoiceId: invoice.invoiceId,
        externalId: request.externalId,
        status: 'EXPIRED',
        amount: request.amountIdr,
        currency: 'IDR',
        paidAt: null,
        token: s.token,
      });
      expect(applyGatewayStatus('PENDING', e.status)).to.equal('EXPIRED');
      expect(applyGatewayStatus('PAID', e.status), 'an expiry never overrides a payment').to.equal('ignored');
    });

    it('reading a callback is pure: the same callback parses to the same event again', async () => {
      const { invoice } = await open();
      const cb = await s.settle(invoice.invoiceId, 'PAID');
      expect(s.gateway.parseWebhook(cb.headers, cb.body)).to.deep.equal(s.gateway.parseWebhook(cb.headers, cb.body));
    });

    it('a malformed callback is a rejection that still reports the token, never an exception', async () => {
      const { invoice } = await open();
      const cb = await s.settle(invoice.invoiceId, 'PAID');
      const valid = cb.body as Record<string, unknown>;
      const without = (k: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k));
      const bodies: Array<[string, unknown]> = [
        ['null', null],
        ['a string', 'status=PAID'],
        ['a number', 42],
        ['an array', [valid]],
        ['an empty object', {}],
        ['no id', without('id')],
        ['an empty id', { ...valid, id: '' }],
        ['a numeric id', { ...valid, id: 12345 }],
        ['no external_id', without('external_id')],
        ['an unknown status', { ...valid, status: 'PENDING' }],
        ['no status', without('status')],
        ['no currency', without('currency')],
        ['a text amount', { ...valid, amount: '350000', paid_amount: '350000' }],
        ['a negative amount', { ...valid, amount: -1, paid_amount: -1 }],
        ['an infinite amount', { ...valid, amount: Infinity, paid_amount: Infinity }],
        [
          'no amount at all',
          Object.fromEntries(Object.entries(valid).filter(([k]) => k !== 'amount' && k !== 'paid_amount')),
        ],
        ['a paid_at that is no date', { ...valid, paid_at: 'yesterday' }],
        ['a numeric paid_at', { ...valid, paid_at: 1764000000000 }],
      ];
      for (const [what, body] of bodies) {
        let r: WebhookEvent | WebhookRejection | undefined;
        expect(() => (r = s.gateway.parseWebhook(cb.headers, body)), what).to.not.throw();
        expect(r, what).to.have.property('invalid').that.is.a('string').and.is.not.empty;
        expect((r as WebhookRejection).token, what).to.equal(s.token);
      }
    });

    it('a callback without the token header parses with token null, which is refused', async () => {
      const { invoice } = await open();
      const cb = await s.settle(invoice.invoiceId, 'PAID');
      const headers = Object.fromEntries(Object.entries(cb.headers).filter(([k]) => k !== 'x-callback-token'));
      const e = eventOf(s.gateway.parseWebhook(headers, cb.body));
      expect(e.token).to.equal(null);
      expect(s.gateway.verifyToken(e.token)).to.equal(false);
      const rejected = s.gateway.parseWebhook(headers, null);
      expect(rejected).to.deep.include({ token: null });
    });

    it('a repeated token header counts with its first value', async () => {
      const { invoice } = await open();
      const cb = await s.settle(invoice.invoiceId, 'PAID');
      const e = eventOf(
        s.gateway.parseWebhook({ ...cb.headers, 'x-callback-token': [s.token, 'another-token-000000'] }, cb.body),
      );
      expect(e.token).to.equal(s.token);
      const swapped = eventOf(
        s.gateway.parseWebhook({ ...cb.headers, 'x-callback-token': ['another-token-000000', s.token] }, cb.body),
      );
      expect(s.gateway.verifyToken(swapped.token)).to.equal(false);
    });

    it('verifyToken accepts the configured token and nothing else', () => {
      const t = s.token;
      expect(s.gateway.verifyToken(t)).to.equal(true);
      const last = t.at(-1) === 'x' ? 'y' : 'x';
      for (const wrong of [
        null,
        '',
        t.slice(0, -1),
        `${t}x`,
        `${t.slice(0, -1)}${last}`,
        t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase(),
        ` ${t}`,
        'test-webhook-token',
      ]) {
        expect(s.gateway.verifyToken(wrong), JSON.stringify(wrong)).to.equal(false);
      }
    });

    it('a gateway configured with another token refuses ours; one without a token refuses everything, the empty token too', () => {
      const other = s.withToken('another-token-0123456789');
      expect(other.verifyToken('another-token-0123456789')).to.equal(true);
      expect(other.verifyToken(s.token)).to.equal(false);
      const unset = s.withToken('');
      for (const t of ['', null, s.token]) expect(unset.verifyToken(t), JSON.stringify(t)).to.equal(false);
    });

    if (capabilities.remote) {
      it('an unreachable gateway is PAYMENT.GATEWAY_UNAVAILABLE (unavailable); a refusal is PAYMENT.GATEWAY_REJECTED (unprocessable)', async () => {
        const failures = s.failures ?? expect.fail('a remote gateway subject must give its failure modes');
        const down = await rejection((await failures.unreachable()).createInvoice(invoiceRequest(s.now)));
        expect([down.code, down.kind]).to.deep.equal(['PAYMENT.GATEWAY_UNAVAILABLE', 'unavailable']);
        const refused: DomainError = await rejection((await failures.refusing()).createInvoice(invoiceRequest(s.now)));
        expect([refused.code, refused.kind]).to.deep.equal(['PAYMENT.GATEWAY_REJECTED', 'unprocessable']);
      });
    }
  });
}
