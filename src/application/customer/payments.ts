import type { CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import { applyGatewayStatus, PaymentErrors, type Payment, type WebhookOutcome } from '../../domain/customer/payment.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { Notifier } from '../../ports/notifier.js';
import type { CreatedInvoice, PaymentGateway, PaymentRepository, WebhookEvent } from '../../ports/payments.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { UserRepository } from '../../ports/user-repository.js';
import type { Actor } from '../actor.js';

export interface PaymentSettings {
  /** How long an invoice stays payable. */
  invoiceTtlMinutes: number;
  /** Where the gateway sends the payer after paying / after a failure. */
  successUrl: string;
  failureUrl: string;
}

export interface PaymentDeps {
  uow: UnitOfWork;
  gateway: PaymentGateway;
  users: UserRepository;
  ids: IdGenerator;
  clock: Clock;
  notifier: Notifier;
  settings: PaymentSettings;
}

export interface InvoiceResult {
  payment: Payment;
  /** False when the open invoice was returned instead of a new one. */
  created: boolean;
}

/** The invoice that can still be paid, if `latest` is one. */
const stillOpen = (latest: Payment | null, now: Date): Payment | null =>
  latest &&
  latest.status === 'PENDING' &&
  latest.invoiceUrl &&
  (!latest.expiresAt || latest.expiresAt.getTime() > now.getTime())
    ? latest
    : null;

function assertPayable(r: CustomerInspectionRequest | null, actor: Actor): asserts r is CustomerInspectionRequest {
  if (!r || r.customerId !== actor.userId) throw PaymentErrors.requestNotFound();
  if (r.status === 'CANCELLED' || r.status === 'DONE') throw PaymentErrors.requestClosed(r.status);
  if (r.paymentStatus !== 'UNPAID' && r.paymentStatus !== 'PENDING') throw PaymentErrors.alreadyPaid(r.paymentStatus);
  if (r.priceIdr <= 0) throw PaymentErrors.nothingToPay();
}

/** Opens an invoice at the gateway for a payment id chosen beforehand (outside any transaction). */
export async function openInvoice(
  d: PaymentDeps,
  actor: Actor,
  p: { paymentId: string; amountIdr: number; description: string },
  now: Date,
) {
  const payer = await d.users.findById(actor.userId);
  return d.gateway.createInvoice({
    externalId: p.paymentId,
    amountIdr: p.amountIdr,
    currency: 'IDR',
    payerEmail: payer?.email ?? null,
    description: p.description,
    successRedirectUrl: d.settings.successUrl,
    failureRedirectUrl: d.settings.failureUrl,
    expiresAt: new Date(now.getTime() + d.settings.invoiceTtlMinutes * 60_000),
  });
}

/** What a payment is for: a request's price, or a credit package's credits and price. */
export type PaymentSubject = Pick<Payment, 'purpose' | 'requestId' | 'creditPackageId' | 'credits' | 'amountIdr'>;

/** Records the PENDING payment `paymentId` of an invoice that openInvoice opened for it. */
export function recordInvoicedPayment(
  tx: TransactionalPorts,
  d: Pick<PaymentDeps, 'gateway'>,
  actor: Actor,
  paymentId: string,
  subject: PaymentSubject,
  invoice: CreatedInvoice,
  now: Date,
): Promise<Payment> {
  return tx.payments.create(
    {
      id: paymentId,
      customerId: actor.userId,
      purpose: subject.purpose,
      requestId: subject.requestId,
      creditPackageId: subject.creditPackageId,
      credits: subject.credits,
      amountIdr: subject.amountIdr,
      currency: 'IDR',
      gateway: d.gateway.name,
      invoiceId: invoice.invoiceId,
      invoiceUrl: invoice.invoiceUrl,
      status: 'PENDING',
      expiresAt: invoice.expiresAt,
      paidAt: null,
    },
    now,
  );
}

/**
 * A customer pays an inspection request: the open invoice of the request is returned as it is; otherwise a
 * new invoice is opened for the request's price snapshot (after an EXPIRED or FAILED one: the retry). The
 * gateway is called outside any transaction; the payment is recorded afterwards under the request's row lock,
 * where a concurrent call that recorded first wins (our extra invoice then simply expires unpaid).
 */
export class CreateRequestPayment {
  constructor(private readonly d: PaymentDeps) {}

  async execute(actor: Actor, requestId: string): Promise<InvoiceResult> {
    const now = this.d.clock.now();
    const pre = await this.d.uow.run(async (tx) => {
      const r = await tx.inspectionRequests.findById(requestId);
      assertPayable(r, actor);
      return { request: r, open: stillOpen(await tx.payments.latestForRequest(requestId), now) };
    });
    if (pre.open) return { payment: pre.open, created: false };
    const paymentId = this.d.ids.next();
    const description = `CAR-dano inspection (${pre.request.vehicleClass}), request ${pre.request.id.slice(0, 8)}`;
    const invoice = await openInvoice(this.d, actor, { paymentId, amountIdr: pre.request.priceIdr, description }, now);
    return this.d.uow.run(async (tx) => {
      const r = await tx.inspectionRequests.findByIdForUpdate(requestId);
      assertPayable(r, actor);
      const latest = await tx.payments.latestForRequest(requestId);
      const open = stillOpen(latest, now);
      if (open) return { payment: open, created: false };
      // An overdue invoice whose EXPIRED callback has not come (yet) is closed here: the retry replaces it.
      if (latest?.status === 'PENDING') await tx.payments.setStatus(latest.id, 'EXPIRED', null, now);
      const payment = await recordInvoicedPayment(
        tx,
        this.d,
        actor,
        paymentId,
        { purpose: 'INSPECTION_REQUEST', requestId, creditPackageId: null, credits: null, amountIdr: r.priceIdr },
        invoice,
        now,
      );
      await tx.inspectionRequests.setPaymentStatus(requestId, 'PENDING', now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PAYMENT_CREATED',
          entity: 'payment',
          entityId: payment.id,
          metadata: {
            purpose: payment.purpose,
            requestId,
            amountIdr: payment.amountIdr,
            gateway: payment.gateway,
            invoiceId: payment.invoiceId,
            retryOf: latest?.id ?? null,
          },
        },
        now,
      );
      return { payment, created: true };
    });
  }
}

/** GET /me/payments: the caller's payments (requests and credit packages), newest first. */
export class ListMyPayments {
  constructor(private readonly payments: PaymentRepository) {}

  execute(actor: Actor, page: Partial<PageRequest>): Promise<Page<Payment>> {
    return this.payments.listForCustomer(actor.userId, normalisePage(page));
  }
}

export interface WebhookInput {
  /** The {gateway} of the webhook URL. */
  gateway: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface WebhookResult {
  received: true;
  outcome: WebhookOutcome;
  paymentId?: string;
  status?: Payment['status'];
}

/**
 * A gateway callback. The token is checked first (constant time; wrong: 401, nothing stored). An unknown
 * invoice is answered without side effects. Every other event is stored once per gateway + invoice + status
 * (a repeat answers `duplicate` and changes nothing); an event whose amount, currency or external id differs
 * from our record is stored as `mismatch`, changes nothing and alerts operators; otherwise the payment state
 * machine decides, and a PAID is applied in the same transaction: the payment PAID with paidAt, then the
 * request's payment status PAID (INSPECTION_REQUEST) or the credits granted once (CREDIT_PACKAGE).
 */
export class HandlePaymentWebhook {
  constructor(private readonly d: Pick<PaymentDeps, 'uow' | 'gateway' | 'ids' | 'clock' | 'notifier'>) {}

  async execute(input: WebhookInput): Promise<WebhookResult> {
    const gw = this.d.gateway;
    if (input.gateway !== gw.name) throw PaymentErrors.unknownGateway(input.gateway);
    const parsed = gw.parseWebhook(input.headers, input.body);
    if (!gw.verifyToken(parsed.token)) throw PaymentErrors.webhookToken();
    if ('invalid' in parsed) throw PaymentErrors.webhookInvalid(parsed.invalid);
    const e = parsed;
    const alerts: Array<{ title: string; details: Record<string, unknown> }> = [];
    const result = await this.d.uow.run(async (tx): Promise<WebhookResult> => {
      const now = this.d.clock.now();
      // Lock order as everywhere else: the request first, then its payment.
      const seen = await tx.payments.findByInvoice(gw.name, e.invoiceId);
      if (!seen) return { received: true, outcome: 'unknown-invoice' };
      if (seen.requestId) await tx.inspectionRequests.findByIdForUpdate(seen.requestId);
      const payment = (await tx.payments.findByInvoiceForUpdate(gw.name, e.invoiceId)) as Payment;
      const mismatch = mismatchOf(payment, e);
      const next = mismatch ? 'ignored' : applyGatewayStatus(payment.status, e.status);
      const outcome: WebhookOutcome = mismatch ? 'mismatch' : next === 'ignored' ? 'ignored' : 'applied';
      const stored = await tx.payments.recordEvent(
        {
          id: this.d.ids.next(),
          gateway: gw.name,
          invoiceId: e.invoiceId,
          status: e.status,
          paymentId: payment.id,
          payload: e.payload,
          outcome,
        },
        now,
      );
      if (!stored) return { received: true, outcome: 'duplicate', paymentId: payment.id, status: payment.status };
      if (mismatch) {
        alerts.push({
          title: `Payment callback does not match payment ${payment.id}: ${mismatch}`,
          details: { paymentId: payment.id, gateway: gw.name, invoiceId: e.invoiceId, status: e.status, mismatch },
        });
        return { received: true, outcome, paymentId: payment.id, status: payment.status };
      }
      if (next === 'ignored') return { received: true, outcome, paymentId: payment.id, status: payment.status };
      const updated = (await tx.payments.setStatus(
        payment.id,
        next,
        next === 'PAID' ? (e.paidAt ?? now) : null,
        now,
      )) as Payment;
      await tx.audit.record(
        {
          actorId: null,
          action: 'PAYMENT_APPLIED',
          entity: 'payment',
          entityId: payment.id,
          metadata: {
            from: payment.status,
            to: next,
            gatewayStatus: e.status,
            gateway: gw.name,
            invoiceId: e.invoiceId,
            amountIdr: payment.amountIdr,
          },
        },
        now,
      );
      if (payment.purpose === 'INSPECTION_REQUEST' && payment.requestId) {
        const note = await this.applyToRequest(tx, updated, payment.status, now);
        if (note)
          alerts.push({
            title: note,
            details: { paymentId: payment.id, requestId: payment.requestId, gateway: gw.name, invoiceId: e.invoiceId },
          });
      }
      if (payment.purpose === 'CREDIT_PACKAGE' && next === 'PAID' && payment.credits) {
        const granted = await tx.payments.credits.grantPurchase(
          {
            customerId: payment.customerId,
            paymentId: payment.id,
            credits: payment.credits,
            entryId: this.d.ids.next(),
          },
          now,
        );
        if (granted)
          await tx.audit.record(
            {
              actorId: payment.customerId,
              action: 'CREDITS_PURCHASED',
              entity: 'payment',
              entityId: payment.id,
              metadata: {
                credits: payment.credits,
                creditPackageId: payment.creditPackageId,
                amountIdr: payment.amountIdr,
              },
            },
            now,
          );
      }
      return { received: true, outcome, paymentId: payment.id, status: updated.status };
    });
    for (const a of alerts) {
      await this.d.notifier.notify({
        kind: 'PAYMENT_ANOMALY',
        severity: 'warning',
        title: a.title,
        key: `${gw.name}:${e.invoiceId}:${e.status}`,
        details: a.details,
      });
    }
    return result;
  }

  /** The request's side of a payment change; returns a note for operators when money needs a human. */
  private async applyToRequest(
    tx: TransactionalPorts,
    payment: Payment,
    before: Payment['status'],
    now: Date,
  ): Promise<string | null> {
    const requestId = payment.requestId as string;
    const r = await tx.inspectionRequests.findById(requestId);
    if (!r)
      return payment.status === 'PAID'
        ? `Payment ${payment.id} was paid but its request ${requestId} no longer exists: refund it`
        : null;
    if (payment.status === 'PAID') {
      if (r.paymentStatus === 'UNPAID' || r.paymentStatus === 'PENDING') {
        await tx.inspectionRequests.setPaymentStatus(requestId, 'PAID', now);
        return r.status === 'CANCELLED'
          ? `Request ${requestId} was paid after it was cancelled: refund payment ${payment.id}`
          : null;
      }
      return `Request ${requestId} was paid again (payment ${payment.id}, ${before} before; request ${r.paymentStatus}): refund the extra payment`;
    }
    // EXPIRED / FAILED: the request has no open invoice any more, unless a newer one was opened meanwhile.
    const latest = await tx.payments.latestForRequest(requestId);
    if (r.paymentStatus === 'PENDING' && latest?.id === payment.id)
      await tx.inspectionRequests.setPaymentStatus(requestId, 'UNPAID', now);
    return null;
  }
}

function mismatchOf(p: Payment, e: WebhookEvent): string | null {
  if (e.externalId !== p.id) return `external_id ${e.externalId} is not the payment id`;
  if (e.currency !== p.currency) return `currency ${e.currency} instead of ${p.currency}`;
  if (e.amount !== p.amountIdr) return `amount ${e.amount} instead of ${p.amountIdr}`;
  return null;
}
