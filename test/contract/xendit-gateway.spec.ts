import { expect } from 'chai';
import { XenditGateway } from '../../src/adapters/payments/xendit-gateway.js';
import type { DomainError } from '../../src/domain/shared/domain-error.js';
import type { InvoiceRequest } from '../../src/ports/payments.js';
import { startXenditImitation, type Seen } from '../support/xendit-imitation.js';

/** The local Xendit imitation (test/support/xendit-imitation.ts) with a key and, optionally, a custom answer. */
const fakeXendit = (secretKey: string, answer?: (seen: Seen) => { status: number; body: unknown }) =>
  startXenditImitation({ secretKey, answer });

describe('XenditGateway against a local Xendit imitation', () => {
  const secretKey = 'xnd_development_0123456789abcdef';
  const now = new Date('2026-11-24T02:00:00.000Z');
  const request: InvoiceRequest = {
    externalId: '5b8f0c2e-3d4a-4b6c-9e1f-2a3b4c5d6e7f',
    amountIdr: 350000,
    currency: 'IDR',
    payerEmail: 'budi@example.com',
    description: 'CAR-dano inspection (REGULAR)',
    successRedirectUrl: 'https://app.example.com/paid',
    failureRedirectUrl: 'https://app.example.com/failed',
    expiresAt: new Date(now.getTime() + 24 * 3600_000),
  };
  let fake: Awaited<ReturnType<typeof fakeXendit>> | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  const gateway = (key = secretKey) =>
    new XenditGateway({
      apiUrl: `${fake?.url}/`,
      secretKey: key,
      callbackToken: 'cb-token-0123456789',
      now: () => now,
      timeoutMs: 2000,
    });

  it('creates an invoice with Basic auth (secret key, empty password) and the documented body', async () => {
    fake = await fakeXendit(secretKey);
    const inv = await gateway().createInvoice(request);
    expect(inv).to.deep.equal({
      invoiceId: '579c8d61f23fa4ca35e52da4',
      invoiceUrl: 'https://checkout-staging.xendit.co/web/579c8d61f23fa4ca35e52da4',
      expiresAt: request.expiresAt,
    });
    expect(fake.seen).to.have.length(1);
    const s = fake.seen[0] as Seen;
    expect(s.method).to.equal('POST');
    expect(s.url).to.equal('/v2/invoices');
    expect(s.contentType).to.match(/^application\/json/);
    expect(s.body).to.deep.equal({
      external_id: request.externalId,
      amount: 350000,
      payer_email: 'budi@example.com',
      description: 'CAR-dano inspection (REGULAR)',
      success_redirect_url: 'https://app.example.com/paid',
      failure_redirect_url: 'https://app.example.com/failed',
      invoice_duration: 86400,
      currency: 'IDR',
    });
  });

  it('leaves payer_email out when the customer has none', async () => {
    fake = await fakeXendit(secretKey);
    await gateway().createInvoice({ ...request, payerEmail: null });
    expect(fake.seen[0]?.body).to.not.have.property('payer_email');
  });

  it("a refused request (wrong key, 4xx) is PAYMENT.GATEWAY_REJECTED with Xendit's error code", async () => {
    fake = await fakeXendit(secretKey);
    try {
      await gateway('xnd_development_wrong_key_000000').createInvoice(request);
      expect.fail('should be refused');
    } catch (e) {
      expect((e as DomainError).code).to.equal('PAYMENT.GATEWAY_REJECTED');
      expect((e as DomainError).kind).to.equal('unprocessable');
      expect((e as DomainError).message).to.contain('INVALID_API_KEY');
    }
  });

  it('5xx, 429, a garbled answer and an unreachable server are PAYMENT.GATEWAY_UNAVAILABLE', async () => {
    for (const status of [500, 503, 429]) {
      fake = await fakeXendit(secretKey, () => ({ status, body: { error_code: 'SERVER_ERROR', message: 'down' } }));
      const err = await gateway()
        .createInvoice(request)
        .then(
          () => null,
          (e: DomainError) => e,
        );
      expect(err?.code, String(status)).to.equal('PAYMENT.GATEWAY_UNAVAILABLE');
      expect(err?.kind).to.equal('unavailable');
      await fake.stop();
    }
    fake = await fakeXendit(secretKey, () => ({ status: 200, body: { status: 'PENDING' } }));
    expect(
      (
        await gateway()
          .createInvoice(request)
          .then(
            () => null,
            (e: DomainError) => e,
          )
      )?.code,
    ).to.equal('PAYMENT.GATEWAY_UNAVAILABLE');
    const url = fake.url;
    await fake.stop();
    fake = undefined;
    const down = new XenditGateway({ apiUrl: url, secretKey, callbackToken: 'cb-token-0123456789', timeoutMs: 1000 });
    expect(
      (
        await down.createInvoice(request).then(
          () => null,
          (e: DomainError) => e,
        )
      )?.code,
    ).to.equal('PAYMENT.GATEWAY_UNAVAILABLE');
  });

  it('reads Xendit callbacks and checks their token', () => {
    const gw = gateway();
    const event = gw.parseWebhook(
      { 'x-callback-token': 'cb-token-0123456789' },
      {
        id: '579c8d61f23fa4ca35e52da4',
        external_id: request.externalId,
        status: 'SETTLED',
        amount: 350000,
        paid_amount: 350000,
        currency: 'IDR',
        paid_at: '2026-11-24T02:10:00.000Z',
      },
    );
    expect(event).to.deep.include({
      invoiceId: '579c8d61f23fa4ca35e52da4',
      externalId: request.externalId,
      status: 'SETTLED',
      amount: 350000,
      currency: 'IDR',
    });
    expect(gw.verifyToken(event.token)).to.equal(true);
    expect(gw.verifyToken('cb-token-0123456788')).to.equal(false);
  });
});
