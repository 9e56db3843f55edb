import type {
  CreditEntry,
  CreditPackage,
  GatewayStatus,
  Payment,
  PaymentStatus,
  UnlockOutcome,
  WebhookOutcome,
} from '../domain/customer/payment.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

/** One webhook event as recorded: at most once per gateway, invoice and gateway status. */
export interface PaymentEvent {
  gateway: string;
  invoiceId: string;
  /** The gateway's status as sent (SETTLED stays SETTLED here). */
  status: string;
  paymentId: string | null;
  payload: unknown;
  outcome: WebhookOutcome;
  receivedAt: Date;
}

export type CreditPackagePatch = Partial<Pick<CreditPackage, 'name' | 'credits' | 'priceIdr' | 'active'>>;

/** The credit packages customers can buy (name, credits, price, active). */
export interface CreditPackages {
  /** Cheapest first (then by name). */
  list(activeOnly: boolean): Promise<CreditPackage[]>;
  /** The package (active or not), or null. */
  findById(id: string): Promise<CreditPackage | null>;
  /** Stores a new package. */
  create(p: Pick<CreditPackage, 'id' | 'name' | 'credits' | 'priceIdr' | 'active'>, now: Date): Promise<CreditPackage>;
  /** null when missing. */
  update(id: string, patch: CreditPackagePatch, now: Date): Promise<CreditPackage | null>;
}

/** Tables credit_accounts (balances, never negative) and credit_ledger (every change with its reason). */
export interface CreditLedger {
  /** 0 for a customer without an account. */
  balanceOf(customerId: string): Promise<number>;
  /** Newest first. */
  entries(customerId: string, page: PageRequest): Promise<Page<CreditEntry>>;
  /**
   * Credits a paid CREDIT_PACKAGE payment: a PURCHASE ledger entry and the balance, once per payment (the
   * unique index on credit_ledger.payment_id). False when this payment was already credited.
   */
  grantPurchase(
    p: { customerId: string; paymentId: string; credits: number; entryId: string },
    now: Date,
  ): Promise<boolean>;
  /**
   * Opens a report with one credit, atomically (one transaction): the report_unlocks row is inserted
   * ON CONFLICT DO NOTHING ('already': nothing charged), then `balance = balance - 1 WHERE balance >= 1`
   * ('insufficient' when no row changed: the unlock row is removed again, nothing charged), then a
   * REPORT_UNLOCK ledger entry. Concurrent calls never take the balance below zero and never charge twice.
   */
  consumeForUnlock(
    p: { customerId: string; inspectionId: string; entryId: string },
    now: Date,
  ): Promise<{ outcome: UnlockOutcome; balance: number }>;
}

/**
 * Tables payments, payment_events, credit_packages, credit_accounts, credit_ledger, report_unlocks. Owned by
 * the payments feature, which adds the methods it needs; the methods below are what others rely on.
 */
export interface PaymentRepository {
  /** The newest payment of a request (any status). */
  latestForRequest(requestId: string): Promise<Payment | null>;
  /** An admin cancelled a paid request: its PAID payment becomes REFUND_PENDING (the refund marker). Returns it, or null when none was PAID. */
  markRefundPending(requestId: string, now: Date): Promise<Payment | null>;

  /** Stores a new payment. PAYMENT.INVOICE_OPEN (conflict) when the request already has a PENDING one. */
  create(p: Omit<Payment, 'createdAt' | 'updatedAt'>, now: Date): Promise<Payment>;
  /** The payment, or null (ownership is the caller's check). */
  findById(id: string): Promise<Payment | null>;
  /** The payment of a gateway's invoice, or null when the invoice is not ours. */
  findByInvoice(gateway: string, invoiceId: string): Promise<Payment | null>;
  /** Same, locking the row until the transaction ends (webhook events of one invoice serialise on it). */
  findByInvoiceForUpdate(gateway: string, invoiceId: string): Promise<Payment | null>;
  /** Sets the status (and paidAt when given); null when missing. */
  setStatus(id: string, status: PaymentStatus, paidAt: Date | null, now: Date): Promise<Payment | null>;
  /** A customer's payments, newest first. */
  listForCustomer(customerId: string, page: PageRequest): Promise<Page<Payment>>;
  /** Stores a webhook event once per (gateway, invoiceId, status): false when it was already stored (a duplicate). */
  recordEvent(e: Omit<PaymentEvent, 'receivedAt'> & { id: string }, now: Date): Promise<boolean>;
  /** The stored events of an invoice, oldest first. */
  eventsOf(gateway: string, invoiceId: string): Promise<PaymentEvent[]>;

  readonly packages: CreditPackages;
  readonly credits: CreditLedger;
}
export const PaymentRepository = Symbol('PaymentRepository');

export interface ReportUnlocks {
  /** Inspections a customer unlocked with credits. */
  inspectionIdsOf(customerId: string): Promise<string[]>;
  /** Whether the customer opened this inspection's report with a credit. */
  isUnlocked(customerId: string, inspectionId: string): Promise<boolean>;
}
export const ReportUnlocks = Symbol('ReportUnlocks');

/** What we ask the gateway for: one invoice, whose external id is our payment id. */
export interface InvoiceRequest {
  externalId: string;
  amountIdr: number;
  currency: 'IDR';
  payerEmail: string | null;
  description: string;
  successRedirectUrl: string;
  failureRedirectUrl: string;
  expiresAt: Date;
}

export interface CreatedInvoice {
  invoiceId: string;
  /** Where the payer pays (the gateway's hosted checkout). */
  invoiceUrl: string;
  expiresAt: Date;
}

/** A gateway callback, read from its headers and body. */
export interface WebhookEvent {
  /** The callback token the request carried (checked with PaymentGateway.verifyToken). */
  token: string | null;
  invoiceId: string;
  /** Our payment id, as we gave it when creating the invoice. */
  externalId: string;
  status: GatewayStatus;
  /** The amount the event is about (for a payment: what was paid). */
  amount: number;
  currency: string;
  paidAt: Date | null;
  /** The body as received (stored with the event). */
  payload: unknown;
}

/** A callback that could not be read; the token is still reported so that it is checked first. */
export interface WebhookRejection {
  token: string | null;
  invalid: string;
}

/** A payment gateway: hosted invoices and their callbacks (adapters: the sandbox and Xendit). */
export interface PaymentGateway {
  /** The gateway's name: stored on payments and events, and the {gateway} of the webhook URL. */
  readonly name: string;
  /** Opens an invoice. PAYMENT.GATEWAY_UNAVAILABLE (unavailable) or PAYMENT.GATEWAY_REJECTED (unprocessable) on failure. */
  createInvoice(r: InvoiceRequest): Promise<CreatedInvoice>;
  /** Reads a callback; no I/O. */
  parseWebhook(headers: Record<string, string | string[] | undefined>, body: unknown): WebhookEvent | WebhookRejection;
  /** Whether a callback token is ours, compared in constant time. */
  verifyToken(token: string | null): boolean;
}
export const PaymentGateway = Symbol('PaymentGateway');
