import { DomainError } from '../shared/domain-error.js';

export const PAYMENT_PURPOSES = ['INSPECTION_REQUEST', 'CREDIT_PACKAGE'] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

/** PENDING (invoice open) -> PAID | EXPIRED | FAILED; PAID -> REFUND_PENDING -> REFUNDED. EXPIRED/FAILED never override PAID. */
export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'EXPIRED', 'FAILED', 'REFUND_PENDING', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Table payments: one invoice at the gateway. */
export interface Payment {
  id: string;
  customerId: string;
  purpose: PaymentPurpose;
  requestId: string | null;
  creditPackageId: string | null;
  /** Credits bought (CREDIT_PACKAGE), snapshotted from the package. */
  credits: number | null;
  amountIdr: number;
  currency: 'IDR';
  gateway: string;
  invoiceId: string | null;
  invoiceUrl: string | null;
  status: PaymentStatus;
  expiresAt: Date | null;
  paidAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Table credit_packages. */
export interface CreditPackage {
  id: string;
  name: string;
  credits: number;
  priceIdr: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Table credit_ledger: every change of a balance (credit_accounts) with its reason. */
export interface CreditEntry {
  id: string;
  customerId: string;
  delta: number;
  reason: 'PURCHASE' | 'REPORT_UNLOCK' | 'ADJUSTMENT';
  paymentId: string | null;
  inspectionId: string | null;
  createdAt: Date;
}

/** Table report_unlocks: a report a customer opened with a credit (once). */
export interface ReportUnlock {
  customerId: string;
  inspectionId: string;
  createdAt: Date;
}

/**
 * Invoice statuses a gateway reports in its callbacks (Xendit invoice callbacks: PAID, SETTLED, EXPIRED; the
 * sandbox also FAILED). SETTLED (the money reached our balance) counts as PAID.
 */
export const GATEWAY_STATUSES = ['PAID', 'SETTLED', 'EXPIRED', 'FAILED'] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

/**
 * The payment state machine: what a gateway status does to a payment, or 'ignored' when it changes nothing.
 *
 * - PENDING -> PAID (PAID or SETTLED), EXPIRED or FAILED.
 * - PAID stays PAID: EXPIRED/FAILED never override it, and PAID/SETTLED again is a duplicate.
 * - EXPIRED/FAILED -> PAID when the gateway reports the money after all (a late payment is never dropped);
 *   another EXPIRED/FAILED is ignored.
 * - REFUND_PENDING and REFUNDED belong to the refund workflow: every gateway status is ignored.
 */
export function applyGatewayStatus(current: PaymentStatus, incoming: GatewayStatus): PaymentStatus | 'ignored' {
  const target: PaymentStatus = incoming === 'SETTLED' ? 'PAID' : incoming;
  switch (current) {
    case 'PENDING':
      return target;
    case 'EXPIRED':
    case 'FAILED':
      return target === 'PAID' ? 'PAID' : 'ignored';
    case 'PAID':
    case 'REFUND_PENDING':
    case 'REFUNDED':
      return 'ignored';
  }
}

/** What a webhook event did, as stored with the event and answered to the gateway. */
export const WEBHOOK_OUTCOMES = ['applied', 'ignored', 'duplicate', 'mismatch', 'unknown-invoice'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** How opening a report with a credit went. */
export type UnlockOutcome = 'unlocked' | 'already' | 'insufficient';

export const PaymentErrors = {
  requestNotFound: () => new DomainError('REQUEST.NOT_FOUND', 'not_found', 'No such inspection request.'),
  requestClosed: (status: string) =>
    new DomainError('PAYMENT.REQUEST_CLOSED', 'conflict', `The request is ${status}; it cannot be paid.`),
  alreadyPaid: (status: string) =>
    new DomainError(
      'PAYMENT.ALREADY_SETTLED',
      'conflict',
      `The request's payment is ${status}; there is nothing to pay.`,
    ),
  nothingToPay: () =>
    new DomainError(
      'PAYMENT.NOTHING_TO_PAY',
      'unprocessable',
      'The price of this request is zero; there is nothing to pay.',
    ),
  invoiceOpen: () =>
    new DomainError(
      'PAYMENT.INVOICE_OPEN',
      'conflict',
      'Another invoice of this request was opened at the same moment; fetch the payments again.',
    ),
  gatewayUnavailable: (detail: string) =>
    new DomainError('PAYMENT.GATEWAY_UNAVAILABLE', 'unavailable', `The payment gateway is unavailable: ${detail}`),
  gatewayRejected: (detail: string) =>
    new DomainError('PAYMENT.GATEWAY_REJECTED', 'unprocessable', `The payment gateway refused the invoice: ${detail}`),
  unknownGateway: (name: string) =>
    new DomainError('PAYMENT.UNKNOWN_GATEWAY', 'not_found', `No payment gateway "${name}" is configured.`),
  webhookToken: () =>
    new DomainError('PAYMENT.WEBHOOK_TOKEN_INVALID', 'unauthenticated', 'The callback token is missing or wrong.'),
  webhookInvalid: (detail: string) =>
    new DomainError('PAYMENT.WEBHOOK_INVALID', 'validation', `The callback is not valid: ${detail}`),
  packageNotFound: () => new DomainError('CREDITS.PACKAGE_NOT_FOUND', 'not_found', 'No such (active) credit package.'),
  reportNotFound: () =>
    new DomainError('CREDITS.REPORT_NOT_FOUND', 'not_found', 'No finished report with this inspection id.'),
  insufficientCredits: () =>
    new DomainError(
      'CREDITS.INSUFFICIENT',
      'payment_required',
      'Not enough credits: buy a credit package to open this report.',
    ),
};
