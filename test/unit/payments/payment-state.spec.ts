import { expect } from 'chai';
import {
  applyGatewayStatus,
  GATEWAY_STATUSES,
  PAYMENT_STATUSES,
  type GatewayStatus,
  type PaymentStatus,
} from '../../../src/domain/customer/payment.js';

/** The whole table: current payment status x gateway status -> new status or 'ignored'. */
const EXPECTED: Record<PaymentStatus, Record<GatewayStatus, PaymentStatus | 'ignored'>> = {
  PENDING: { PAID: 'PAID', SETTLED: 'PAID', EXPIRED: 'EXPIRED', FAILED: 'FAILED' },
  PAID: { PAID: 'ignored', SETTLED: 'ignored', EXPIRED: 'ignored', FAILED: 'ignored' },
  EXPIRED: { PAID: 'PAID', SETTLED: 'PAID', EXPIRED: 'ignored', FAILED: 'ignored' },
  FAILED: { PAID: 'PAID', SETTLED: 'PAID', EXPIRED: 'ignored', FAILED: 'ignored' },
  REFUND_PENDING: { PAID: 'ignored', SETTLED: 'ignored', EXPIRED: 'ignored', FAILED: 'ignored' },
  REFUNDED: { PAID: 'ignored', SETTLED: 'ignored', EXPIRED: 'ignored', FAILED: 'ignored' },
};

describe('payment state machine (applyGatewayStatus)', () => {
  it('the table covers every payment status and every gateway status', () => {
    expect(Object.keys(EXPECTED).sort()).to.deep.equal([...PAYMENT_STATUSES].sort());
    for (const row of Object.values(EXPECTED))
      expect(Object.keys(row).sort()).to.deep.equal([...GATEWAY_STATUSES].sort());
  });

  for (const current of PAYMENT_STATUSES) {
    for (const incoming of GATEWAY_STATUSES) {
      const want = EXPECTED[current][incoming];
      it(`${current} + ${incoming} -> ${want}`, () => {
        expect(applyGatewayStatus(current, incoming)).to.equal(want);
      });
    }
  }

  it('EXPIRED and FAILED never override PAID, and SETTLED counts as PAID', () => {
    expect(applyGatewayStatus('PAID', 'EXPIRED')).to.equal('ignored');
    expect(applyGatewayStatus('PAID', 'FAILED')).to.equal('ignored');
    expect(applyGatewayStatus('PENDING', 'SETTLED')).to.equal('PAID');
    expect(applyGatewayStatus('PAID', 'SETTLED'), 'SETTLED after PAID is a duplicate').to.equal('ignored');
  });
});
