import type { ContainerModule } from 'inversify';
import { verifyHandlers } from '../../../adapters/http/handlers/verify-handlers.js';
import { VerifyReport } from '../../../application/verify/verify-report.js';
import { Clock } from '../../../ports/clock.js';
import { InspectionRepository } from '../../../ports/inspection-repository.js';
import { MintJobStore } from '../../../ports/mint-jobs.js';
import { InspectionReports } from '../../../ports/report-jobs.js';
import { Tokens } from '../../tokens.js';
import { featureModule } from '../feature-module.js';

/** Public verification of a report PDF against the database and the chain. */
export const verifyFeature = (): ContainerModule =>
  featureModule((b) => {
    // One instance per container (b.factory() makes singletons), so its answer cache is shared by every request.
    b.factory(VerifyReport, (g) => {
      const clock = g<Clock>(Clock);
      return new VerifyReport(
        g(InspectionRepository),
        g(InspectionReports),
        g(MintJobStore),
        g(Tokens.VerifyChain),
        () => clock.now(),
        { ttlMs: g(Tokens.Config).chain.verifyCacheSeconds * 1000, maxEntries: 10_000 },
      );
    });
    b.handlers((g) => verifyHandlers({ verifyReport: g(VerifyReport) }));
  });
