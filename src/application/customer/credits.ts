import { PaymentErrors, type CreditEntry, type CreditPackage } from '../../domain/customer/payment.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { CreditPackagePatch, PaymentRepository } from '../../ports/payments.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { openInvoice, recordInvoicedPayment, type InvoiceResult, type PaymentDeps } from './payments.js';
import { isPublishedStatus } from '../../domain/inspection/status.js';

/** Active packages (public), or every package (administrators). Cheapest first. */
export class ListCreditPackages {
  constructor(private readonly payments: PaymentRepository) {}

  execute(activeOnly: boolean): Promise<CreditPackage[]> {
    return this.payments.packages.list(activeOnly);
  }
}

export interface CreditPackageInput {
  name: string;
  credits: number;
  priceIdr: number;
  active?: boolean;
}

/** An admin adds a credit package, active unless `active` is false (audit CREDIT_PACKAGE_SAVED). */
export class CreateCreditPackage {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, input: CreditPackageInput): Promise<CreditPackage> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const p = await tx.payments.packages.create(
        {
          id: this.ids.next(),
          name: input.name.trim(),
          credits: input.credits,
          priceIdr: input.priceIdr,
          active: input.active ?? true,
        },
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'CREDIT_PACKAGE_SAVED',
          entity: 'credit_package',
          entityId: p.id,
          metadata: { created: true, name: p.name, credits: p.credits, priceIdr: p.priceIdr, active: p.active },
        },
        now,
      );
      return p;
    });
  }
}

/** Changes a package; payments already opened keep the credits and price they were created with. */
export class UpdateCreditPackage {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, id: string, patch: CreditPackagePatch): Promise<CreditPackage> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const p = await tx.payments.packages.update(id, { ...patch, name: patch.name?.trim() }, now);
      if (!p) throw PaymentErrors.packageNotFound();
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'CREDIT_PACKAGE_SAVED',
          entity: 'credit_package',
          entityId: id,
          metadata: { created: false, ...patch },
        },
        now,
      );
      return p;
    });
  }
}

/** A customer buys an active credit package through the gateway; the credits arrive with the PAID callback. */
export class PurchaseCredits {
  constructor(private readonly d: PaymentDeps) {}

  async execute(actor: Actor, packageId: string): Promise<InvoiceResult> {
    const now = this.d.clock.now();
    const pkg = await this.d.uow.run((tx) => tx.payments.packages.findById(packageId));
    if (!pkg || !pkg.active) throw PaymentErrors.packageNotFound();
    const paymentId = this.d.ids.next();
    const invoice = await openInvoice(
      this.d,
      actor,
      {
        paymentId,
        amountIdr: pkg.priceIdr,
        description: `CAR-dano credits: ${pkg.name} (${pkg.credits} report credits)`,
      },
      now,
    );
    return this.d.uow.run(async (tx) => {
      const payment = await recordInvoicedPayment(
        tx,
        this.d,
        actor,
        paymentId,
        {
          purpose: 'CREDIT_PACKAGE',
          requestId: null,
          creditPackageId: pkg.id,
          credits: pkg.credits,
          amountIdr: pkg.priceIdr,
        },
        invoice,
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PAYMENT_CREATED',
          entity: 'payment',
          entityId: payment.id,
          metadata: {
            purpose: payment.purpose,
            creditPackageId: pkg.id,
            credits: pkg.credits,
            amountIdr: payment.amountIdr,
            gateway: payment.gateway,
            invoiceId: payment.invoiceId,
          },
        },
        now,
      );
      return { payment, created: true };
    });
  }
}

export interface MyCredits {
  balance: number;
  ledger: Page<CreditEntry>;
}

/** GET /me/credits: the caller's balance and a page of their ledger, newest first. */
export class GetMyCredits {
  constructor(private readonly payments: PaymentRepository) {}

  async execute(actor: Actor, page: Partial<PageRequest>): Promise<MyCredits> {
    const [balance, ledger] = await Promise.all([
      this.payments.credits.balanceOf(actor.userId),
      this.payments.credits.entries(actor.userId, normalisePage(page)),
    ]);
    return { balance, ledger };
  }
}

export interface UnlockResult {
  inspectionId: string;
  prettyId: string;
  /** True only the first time a credit was spent on this report. */
  charged: boolean;
  /** owned: the customer's own inspection (free); already-unlocked: opened before (free); unlocked: one credit spent now. */
  access: 'owned' | 'already-unlocked' | 'unlocked';
  balance: number;
}

/** The customer's own inspections: the owner field, one of their vehicles, or one of their requests. */
async function owns(tx: TransactionalPorts, customerId: string, i: Inspection): Promise<boolean> {
  if (i.customerUserId === customerId) return true;
  if (i.customerVehicleId && (await tx.customerVehicles.findById(i.customerVehicleId))?.customerId === customerId)
    return true;
  return (await tx.inspectionRequests.inspectionIdsOf(customerId)).includes(i.id);
}

/**
 * Opens the report of an inspection the customer does not own, for one credit, once. Only finished,
 * published reports (ARCHIVED, or at least one stored report; never a DEACTIVATED one nor one reverted to
 * review, whose report is withdrawn) can be opened. Own inspections are free;
 * a second open is free; without credits: 402 CREDITS.INSUFFICIENT. The charge is one atomic conditional
 * decrement (see CreditLedger.consumeForUnlock): concurrent opens never take the balance below zero.
 */
export class UnlockReport {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, prettyId: string): Promise<UnlockResult> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const i = await tx.inspections.findByPrettyId(prettyId.trim().toUpperCase());
      if (!i || !isPublishedStatus(i.status)) throw PaymentErrors.reportNotFound();
      if (i.status !== 'ARCHIVED' && (await tx.reports.listForInspection(i.id)).length === 0)
        throw PaymentErrors.reportNotFound();
      const base = { inspectionId: i.id, prettyId: i.prettyId };
      if (await owns(tx, actor.userId, i))
        return { ...base, charged: false, access: 'owned', balance: await tx.payments.credits.balanceOf(actor.userId) };
      const r = await tx.payments.credits.consumeForUnlock(
        { customerId: actor.userId, inspectionId: i.id, entryId: this.ids.next() },
        now,
      );
      if (r.outcome === 'insufficient') throw PaymentErrors.insufficientCredits();
      if (r.outcome === 'already') return { ...base, charged: false, access: 'already-unlocked', balance: r.balance };
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'REPORT_UNLOCKED',
          entity: 'inspection',
          entityId: i.id,
          metadata: { prettyId: i.prettyId, credits: 1, balance: r.balance },
        },
        now,
      );
      return { ...base, charged: true, access: 'unlocked', balance: r.balance };
    });
  }
}
