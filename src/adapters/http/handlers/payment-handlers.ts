import { actorOf } from '../auth.js';
import type { HttpUseCases } from '../use-cases.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const pageOf = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });

/** The use cases these handlers call (and nothing else of the bag). */
export type PaymentUseCases = Pick<
  HttpUseCases,
  | 'createCreditPackage'
  | 'createRequestPayment'
  | 'getMyCredits'
  | 'handlePaymentWebhook'
  | 'listCreditPackages'
  | 'listMyPayments'
  | 'purchaseCredits'
  | 'unlockReport'
  | 'updateCreditPackage'
>;

/** Payments (request invoices, the gateway webhook) and credits (packages, purchases, report unlocks). */
export function paymentHandlers(uc: PaymentUseCases): OperationHandlers {
  return {
    createRequestPayment: async (_req, res) => {
      const r = await uc.createRequestPayment.execute(actorOf(res), String(validOf(res).params.id));
      res.status(r.created ? 201 : 200).json(r.payment);
    },
    listMyPayments: async (_req, res) => {
      res.json(await uc.listMyPayments.execute(actorOf(res), pageOf(validOf(res).query)));
    },
    receivePaymentWebhook: async (req, res) => {
      const v = validOf(res);
      res.json(
        await uc.handlePaymentWebhook.execute({
          gateway: String(v.params.gateway),
          headers: req.headers,
          body: v.body,
        }),
      );
    },
    listCreditPackages: async (_req, res) => {
      res.json({ items: await uc.listCreditPackages.execute(true) });
    },
    listAllCreditPackages: async (_req, res) => {
      res.json({ items: await uc.listCreditPackages.execute(false) });
    },
    createCreditPackage: async (_req, res) => {
      const p = await uc.createCreditPackage.execute(actorOf(res), validOf(res).body as never);
      res.status(201).location(`/api/v1/admin/credit-packages/${p.id}`).json(p);
    },
    updateCreditPackage: async (_req, res) => {
      const v = validOf(res);
      res.json(await uc.updateCreditPackage.execute(actorOf(res), String(v.params.id), v.body as never));
    },
    purchaseCredits: async (_req, res) => {
      const r = await uc.purchaseCredits.execute(actorOf(res), (validOf(res).body as { packageId: string }).packageId);
      res.status(201).json(r.payment);
    },
    getMyCredits: async (_req, res) => {
      res.json(await uc.getMyCredits.execute(actorOf(res), pageOf(validOf(res).query)));
    },
    unlockReport: async (_req, res) => {
      const r = await uc.unlockReport.execute(actorOf(res), (validOf(res).body as { prettyId: string }).prettyId);
      res.status(r.charged ? 201 : 200).json(r);
    },
  };
}
