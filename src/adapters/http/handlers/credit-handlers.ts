import type { CreateCreditPackage } from '../../../application/credits/create-credit-package.js';
import type { GetMyCredits } from '../../../application/credits/get-my-credits.js';
import type { ListCreditPackages } from '../../../application/credits/list-credit-packages.js';
import type { PurchaseCredits } from '../../../application/credits/purchase-credits.js';
import type { UnlockReport } from '../../../application/credits/unlock-report.js';
import type { UpdateCreditPackage } from '../../../application/credits/update-credit-package.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const pageOf = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });

/** The use cases these handlers call. */
export interface CreditUseCases {
  createCreditPackage: CreateCreditPackage;
  getMyCredits: GetMyCredits;
  listCreditPackages: ListCreditPackages;
  purchaseCredits: PurchaseCredits;
  unlockReport: UnlockReport;
  updateCreditPackage: UpdateCreditPackage;
}

/** Credits: packages (public list, admin management), purchases, balance and report unlocks. */
export function creditHandlers(uc: CreditUseCases): OperationHandlers {
  return {
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
