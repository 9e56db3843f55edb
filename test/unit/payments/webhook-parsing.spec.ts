import { expect } from 'chai';
import { readInvoiceCallback } from '../../../src/adapters/payments/xendit-callback.js';
import { constantTimeEqual } from '../../../src/adapters/security/constant-time.js';
import { XenditGateway } from '../../../src/adapters/payments/xendit-gateway.js';

describe('constant-time token comparison', () => {
  const token = 'test-webhook-token-0123456789';

  it('accepts only the exact token', () => {
    expect(constantTimeEqual(token, token)).to.equal(true);
  });

  it('refuses a wrong value of the same length', () => {
    expect(constantTimeEqual(token.replace(/9$/, '8'), token)).to.equal(false);
    expect(constantTimeEqual('X'.repeat(token.length), token)).to.equal(false);
  });

  it('refuses a wrong length (shorter, longer, a prefix) without throwing', () => {
    expect(constantTimeEqual(token.slice(0, -1), token)).to.equal(false);
    expect(constantTimeEqual(`${token}0`, token)).to.equal(false);
    expect(constantTimeEqual('', token)).to.equal(false);
    expect(constantTimeEqual(null, token)).to.equal(false);
    expect(constantTimeEqual(undefined, token)).to.equal(false);
  });

  it('never matches when no token is configured', () => {
    expect(constantTimeEqual('', '')).to.equal(false);
    expect(constantTimeEqual('', undefined)).to.equal(false);
    expect(constantTimeEqual('anything', null)).to.equal(false);
  });

  it('compares bytes, not characters (multi-byte text of equal length in characters)', () => {
    expect(constantTimeEqual('é'.repeat(4), 'e'.repeat(4))).to.equal(false);
    expect(constantTimeEqual('é'.repeat(4), 'é'.repeat(4))).to.equal(true);
  });

  it('a gateway verifies its callback token with it', () => {
    const gw = new XenditGateway({
      apiUrl: 'http://127.0.0.1:1',
      secretKey: 'xnd_development_key',
      callbackToken: token,
    });
    expect(gw.verifyToken(token)).to.equal(true);
    expect(gw.verifyToken(token.toUpperCase())).to.equal(false);
    expect(gw.verifyToken(null)).to.equal(false);
  });
});

describe('Xendit invoice callback mapping', () => {
  const body = {
    id: 'inv_1',
    external_id: 'pay_1',
    status: 'PAID',
    amount: 350000,
    paid_amount: 350000,
    currency: 'IDR',
    paid_at: '2026-11-24T02:10:00.000Z',
    payer_email: 'budi@example.com',
    payment_channel: 'BCA',
  };

  it('reads the token header and the fields we use, and keeps the whole body', () => {
    const e = readInvoiceCallback({ 'x-callback-token': 'tok' }, body);
    expect(e).to.deep.include({
      token: 'tok',
      invoiceId: 'inv_1',
      externalId: 'pay_1',
      status: 'PAID',
      amount: 350000,
      currency: 'IDR',
    });
    expect((e as { paidAt: Date }).paidAt.toISOString()).to.equal('2026-11-24T02:10:00.000Z');
    expect((e as { payload: unknown }).payload).to.equal(body);
  });

  it('SETTLED is read as such; EXPIRED carries the invoice amount and no paid time', () => {
    expect(readInvoiceCallback({}, { ...body, status: 'SETTLED' })).to.deep.include({ status: 'SETTLED', token: null });
    const expired = readInvoiceCallback(
      {},
      { id: 'inv_1', external_id: 'pay_1', status: 'EXPIRED', amount: 350000, currency: 'IDR' },
    );
    expect(expired).to.deep.include({ status: 'EXPIRED', amount: 350000, paidAt: null });
  });

  it('for a payment, the amount is what was paid', () => {
    expect(readInvoiceCallback({}, { ...body, paid_amount: 1000 })).to.deep.include({ amount: 1000 });
  });

  it('refuses unreadable callbacks, still reporting the token', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[1, 2], /JSON object/],
      [{ ...body, id: '' }, /id is required/],
      [{ ...body, external_id: undefined }, /external_id/],
      [{ ...body, status: 'PENDING' }, /status "PENDING"/],
      [{ ...body, currency: undefined }, /currency/],
      [{ ...body, amount: '350000', paid_amount: undefined }, /amount/],
      [{ ...body, amount: -1, paid_amount: undefined }, /amount/],
      [{ ...body, paid_at: 'yesterday' }, /paid_at/],
    ];
    for (const [b, why] of cases) {
      const r = readInvoiceCallback({ 'x-callback-token': ['tok', 'other'] }, b) as {
        invalid?: string;
        token: string | null;
      };
      expect(r.invalid, JSON.stringify(b)).to.match(why);
      expect(r.token).to.equal('tok');
    }
  });
});
