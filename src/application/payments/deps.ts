import type { Payment } from '../../domain/customer/payment.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { Notifier } from '../../ports/notifier.js';
import type { PaymentTelemetry } from '../../ports/payment-telemetry.js';
import type { PaymentGateway } from '../../ports/payments.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { UserRepository } from '../../ports/user-repository.js';

export interface PaymentSettings {
  /** How long an invoice stays payable. */
  invoiceTtlMinutes: number;
  /** Where the gateway sends the payer after paying / after a failure. */
  successUrl: string;
  failureUrl: string;
}

/** What the payment use cases (and buying credits) need. */
export interface PaymentDeps {
  uow: UnitOfWork;
  gateway: PaymentGateway;
  users: UserRepository;
  ids: IdGenerator;
  clock: Clock;
  notifier: Notifier;
  settings: PaymentSettings;
  /** Invoices opened and webhooks handled (metrics). */
  telemetry: PaymentTelemetry;
}

/** An invoice to pay (CreateRequestPayment, PurchaseCredits). */
export interface InvoiceResult {
  payment: Payment;
  /** False when the open invoice was returned instead of a new one. */
  created: boolean;
}

/** What a payment is for: a request's price, or a credit package's credits and price. */
export type PaymentSubject = Pick<Payment, 'purpose' | 'requestId' | 'creditPackageId' | 'credits' | 'amountIdr'>;
