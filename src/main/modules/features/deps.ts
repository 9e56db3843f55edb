import type { ArchiveDeps } from '../../../application/archive/archive-inspection.js';
import { PublicArchive } from '../../../application/archive/public-archive.js';
import type { PaymentDeps } from '../../../application/payments/deps.js';
import type { ImageCheck } from '../../../application/photos/incoming-file.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { ImageProcessor } from '../../../ports/image-processor.js';
import { NftMinter } from '../../../ports/nft-minter.js';
import { PaymentTelemetry } from '../../../ports/payment-telemetry.js';
import { Notifier } from '../../../ports/notifier.js';
import { PaymentGateway } from '../../../ports/payments.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { UserRepository } from '../../../ports/user-repository.js';
import { Tokens } from '../../tokens.js';
import type { Get } from '../feature-module.js';

/** How long a status change or delete waits for its IPFS pin checks before answering (see pinSweeper). */
const PIN_SWEEP_WAIT_MS = 2000;

/** The minting policy's asset naming, known before any chain call. */
export const archiveDeps = (g: Get): ArchiveDeps => ({ ids: g(IdGenerator), minter: g(NftMinter) });

/** How uploaded images are judged: decoded by the image processor, bounded in pixels. */
export const imageCheck = (g: Get): ImageCheck => ({
  images: g(ImageProcessor),
  maxPixels: g(Tokens.Config).photos.maxPixels,
});

/**
 * Pin checks run after the commit, best effort: the sweeper retries what fails. The request waits for them at
 * most PIN_SWEEP_WAIT_MS (a healthy node answers in milliseconds); a slow IPFS node finishes in the background
 * and never holds the answer, which the gateway already gives from the database.
 */
export const pinSweeper = (g: Get) => ({
  sweep: () => {
    const done = g(PublicArchive)
      .sweep()
      .catch((e: unknown) => g(Tokens.Logger).warn('ipfs pin sweep failed', { err: e }));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => (timer = setTimeout(resolve, PIN_SWEEP_WAIT_MS)));
    return Promise.race([done, budget]).finally(() => clearTimeout(timer));
  },
});

/** What payments and credit purchases share: the gateway, and where its checkout returns the customer. */
export const paymentDeps = (g: Get): PaymentDeps => {
  const c = g(Tokens.Config);
  const home = c.publicBaseUrl ?? c.reports.baseUrl;
  return {
    uow: g(UnitOfWork),
    gateway: g(PaymentGateway),
    users: g(UserRepository),
    ids: g(IdGenerator),
    clock: g(Clock),
    notifier: g(Notifier),
    telemetry: g(PaymentTelemetry),
    settings: {
      invoiceTtlMinutes: c.payments.invoiceTtlMinutes,
      successUrl: c.payments.successUrl ?? home,
      failureUrl: c.payments.failureUrl ?? home,
    },
  };
};
