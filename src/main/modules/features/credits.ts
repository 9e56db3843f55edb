import type { ContainerModule } from 'inversify';
import { creditHandlers } from '../../../adapters/http/handlers/credit-handlers.js';
import { CreateCreditPackage } from '../../../application/credits/create-credit-package.js';
import { GetMyCredits } from '../../../application/credits/get-my-credits.js';
import { ListCreditPackages } from '../../../application/credits/list-credit-packages.js';
import { PurchaseCredits } from '../../../application/credits/purchase-credits.js';
import { UnlockReport } from '../../../application/credits/unlock-report.js';
import { UpdateCreditPackage } from '../../../application/credits/update-credit-package.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { PaymentRepository } from '../../../ports/payments.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { featureModule } from '../feature-module.js';
import { paymentDeps } from './deps.js';

/** Credits: packages, purchases, the balance and report unlocks. */
export const creditsFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(ListCreditPackages, (g) => new ListCreditPackages(g(PaymentRepository)));
    b.factory(CreateCreditPackage, (g) => new CreateCreditPackage(g(UnitOfWork), g(IdGenerator), g(Clock)));
    b.factory(UpdateCreditPackage, (g) => new UpdateCreditPackage(g(UnitOfWork), g(Clock)));
    b.factory(PurchaseCredits, (g) => new PurchaseCredits(paymentDeps(g)));
    b.factory(GetMyCredits, (g) => new GetMyCredits(g(PaymentRepository)));
    b.factory(UnlockReport, (g) => new UnlockReport(g(UnitOfWork), g(IdGenerator), g(Clock)));
    b.handlers((g) =>
      creditHandlers({
        createCreditPackage: g(CreateCreditPackage),
        getMyCredits: g(GetMyCredits),
        listCreditPackages: g(ListCreditPackages),
        purchaseCredits: g(PurchaseCredits),
        unlockReport: g(UnlockReport),
        updateCreditPackage: g(UpdateCreditPackage),
      }),
    );
  });
