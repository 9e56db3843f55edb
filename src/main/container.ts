import { Container, ContainerModule, type ContainerModuleLoadOptions, type ServiceIdentifier } from 'inversify';
import type { Knex } from 'knex';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveInspection, type ArchiveDeps } from '../application/archive/archive-inspection.js';
import { ConfirmMints } from '../application/archive/confirm-mints.js';
import { GetMintJobStats, ListMintJobs, RerunFailedMints } from '../application/archive/mint-jobs.js';
import { VerifyReport } from '../application/verify/verify-report.js';
import {
  CreateRequestPayment,
  HandlePaymentWebhook,
  ListMyPayments,
  type PaymentDeps,
} from '../application/customer/payments.js';
import {
  CreateCreditPackage,
  GetMyCredits,
  ListCreditPackages,
  PurchaseCredits,
  UnlockReport,
  UpdateCreditPackage,
} from '../application/customer/credits.js';
import { SandboxGateway } from '../adapters/payments/sandbox-gateway.js';
import { XenditGateway } from '../adapters/payments/xendit-gateway.js';
import { PaymentGateway, PaymentRepository, ReportUnlocks } from '../ports/payments.js';
import {
  CreateVehicle,
  DeleteVehicle,
  GetMyVehicle,
  ListMyVehicles,
  ReplaceVehiclePhotos,
  UpdateVehicle,
  type VehicleDeps,
} from '../application/customer/vehicles.js';
import { OwnedPhotoLinks } from '../application/customer/owned-photos.js';
import { GetQuote, ListClassPriceHistory, ListVehicleClasses, SetClassPrice } from '../application/customer/pricing.js';
import {
  AddRequestPhotos,
  AssignInspectionRequest,
  CancelMyInspectionRequest,
  ChangeInspectionRequestStatus,
  CreateInspectionRequestForCustomer,
  CreateMyInspectionRequest,
  GetInspectionRequest,
  GetMyInspectionRequest,
  LinkRequestInspection,
  ListInspectionRequests,
  ListMyInspectionRequests,
  ListRequestPhotos,
  WaiveRequestPayment,
  type RequestDeps,
} from '../application/customer/inspection-requests.js';
import { ProcessMintJob } from '../application/archive/process-mint-job.js';
import { PlutsNftMinter } from '../adapters/cardano/plu-ts-minter.js';
import { HmacPlateHasher } from '../adapters/security/hmac-plate-hasher.js';
import { Chain } from '../ports/chain.js';
import { MintJobStore, UtxoLeases } from '../ports/mint-jobs.js';
import { NftMinter, PlateHasher } from '../ports/nft-minter.js';
import { createChain } from './chain-factory.js';
import { CustomerVehicleRepository } from '../ports/customer-vehicles.js';
import {
  DownloadMyReport,
  GetMyInspection,
  ListMyInspections,
  type HistoryDeps,
} from '../application/customer/inspection-history.js';
import { KnexCustomerInspectionHistory } from '../adapters/postgres/knex-customer-history.js';
import { MemoryCustomerInspectionHistory } from '../adapters/memory/memory-customer-history.js';
import { CustomerInspectionHistory } from '../ports/customer-history.js';
import { ListAuditLogs } from '../application/audit/list-audit-logs.js';
import { ApproveInspection, BulkApproveInspections } from '../application/inspections/approve-inspection.js';
import { ChangeInspectionStatus } from '../application/inspections/change-status.js';
import { CreateInspection } from '../application/inspections/create-inspection.js';
import { GetDashboard } from '../application/inspections/dashboard.js';
import { DeleteInspection } from '../application/inspections/delete-inspection.js';
import { PublicArchive } from '../application/archive/public-archive.js';
import { WithdrawPrivateCids } from '../application/archive/withdraw-private-cids.js';
import { GetInspection, ListChangeLog, ListInspections } from '../application/inspections/query-inspections.js';
import { DeleteChangeLogEntry, ReviewInspection } from '../application/inspections/review-inspection.js';
import { ObjectDeleter } from '../application/photos/object-deleter.js';
import {
  AddPhotos,
  DeletePhoto,
  ReorderPhotos,
  ReplacePhotoFile,
  UpdatePhotoMetadata,
  type PhotoDeps,
} from '../application/photos/photo-commands.js';
import { PhotoLinks } from '../application/photos/photo-links.js';
import { PreviewReport } from '../application/reports/preview-report.js';
import { GetReportModel, GetReportPhoto } from '../application/reports/report-page.js';
import { PrintRenditions } from '../application/reports/print-renditions.js';
import { SharpImageProcessor } from '../adapters/images/sharp-image-processor.js';
import { ImageProcessor } from '../ports/image-processor.js';
import type { ImageCheck } from '../application/photos/incoming-file.js';
import { HmacRenderTokens } from '../adapters/security/hmac-render-tokens.js';
import { RenderTokens } from '../ports/render-tokens.js';
import { ProcessReportJob } from '../application/reports/process-report-job.js';
import {
  GetInspectionReports,
  GetReportJobStats,
  ListReportJobs,
  RerunFailedReportJobs,
  RerunReportJob,
} from '../application/reports/report-jobs.js';
import { createHttpMetrics } from '../adapters/http/metrics.js';
import { PromJobTelemetry } from '../adapters/observability/job-metrics.js';
import { JobTelemetry } from '../ports/job-telemetry.js';
import { ReportSizeControl } from '../application/reports/size-control.js';
import { ChromiumPdfRenderer } from '../adapters/pdf/chromium-pdf-renderer.js';
import { PdfLibStamper } from '../adapters/pdf/pdf-metadata.js';
import { GhostscriptCompressor, PopplerPdfInspector } from '../adapters/pdf/pdf-tools.js';
import type { JobBus } from '../adapters/queue/pg-boss-bus.js';
import { FsObjectStorage } from '../adapters/storage/fs-object-storage.js';
import { withBreaker, type BreakerState } from '../adapters/resilience/breaker.js';
import { DependencyHealth } from '../adapters/resilience/dependency-health.js';
import { EmbeddedIpfs } from '../adapters/ipfs/embedded-ipfs.js';
import { KuboIpfs } from '../adapters/ipfs/kubo-ipfs.js';
import { Ipfs } from '../ports/ipfs.js';
import { FanOutNotifier, LogNotifier, SlackWebhookNotifier } from '../adapters/notify/notifiers.js';
import { Notifier } from '../ports/notifier.js';
import { PdfRenderer } from '../ports/pdf-renderer.js';
import { PdfCompressor, PdfInspector, PdfStamper } from '../ports/pdf-tools.js';
import { InspectionReports, ReportJobStore } from '../ports/report-jobs.js';
import { MemoryInspectionStats } from '../adapters/memory/memory-inspection-stats.js';
import { KnexInspectionStats } from '../adapters/postgres/knex-inspection-stats.js';
import { ChangeLogRepository } from '../ports/change-log-repository.js';
import { InspectionRepository } from '../ports/inspection-repository.js';
import { InspectionStats } from '../ports/inspection-stats.js';
import { ObjectStorage } from '../ports/object-storage.js';
import { PendingDeletions } from '../ports/pending-deletions.js';
import { PhotoRepository } from '../ports/photo-repository.js';
import { Authenticate } from '../application/auth/authenticate.js';
import { CredentialCheck } from '../application/auth/credential-check.js';
import { ListMySessions } from '../application/auth/list-sessions.js';
import { LoginInspector } from '../application/auth/login-inspector.js';
import { LoginWithPassword } from '../application/auth/login-with-password.js';
import { Logout, LogoutAll } from '../application/auth/logout.js';
import { ChangePassword, GetProfile, UpdateProfile } from '../application/auth/profile.js';
import { RefreshSession } from '../application/auth/refresh-session.js';
import { RegisterCustomer } from '../application/auth/register-customer.js';
import { SessionTokens } from '../application/auth/session-tokens.js';
import {
  CreateBranchCity,
  DeleteBranchCity,
  GetBranchCity,
  ListBranchCities,
  UpdateBranchCity,
} from '../application/branches/branch-cities.js';
import { CreateInspector } from '../application/users/create-inspector.js';
import { CreateStaffUser } from '../application/users/create-staff-user.js';
import { GetUser, ListUsers } from '../application/users/list-users.js';
import { ChangeUserRole, RegenerateInspectorPin, SetUserActive } from '../application/users/manage-user.js';
import { loadApiSpec } from '../adapters/http/openapi.js';
import type { HttpUseCases } from '../adapters/http/use-cases.js';
import { createMemoryPersistence } from '../adapters/memory/index.js';
import type { Logger } from '../adapters/observability/logger.js';
import { currentRequestMeta } from '../adapters/observability/request-context.js';
import { DatabaseHealthCheck } from '../adapters/postgres/database.js';
import { knexPorts, KnexUnitOfWork } from '../adapters/postgres/index.js';
import { Argon2PasswordHasher } from '../adapters/security/argon2-password-hasher.js';
import { CryptoSecretGenerator } from '../adapters/security/crypto-secret-generator.js';
import { JoseTokenIssuer } from '../adapters/security/jose-token-issuer.js';
import { RandomUuidGenerator, SystemClock } from '../adapters/system/system-clock.js';
import { AuditLog } from '../ports/audit-log.js';
import { BranchCityRepository } from '../ports/branch-city-repository.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { PasswordHasher } from '../ports/password-hasher.js';
import { SecretGenerator } from '../ports/secrets.js';
import { SessionRepository } from '../ports/session-repository.js';
import { TokenIssuer } from '../ports/token-issuer.js';
import { UnitOfWork, type TransactionalPorts } from '../ports/unit-of-work.js';
import { UserRepository } from '../ports/user-repository.js';
import type { Config } from './config.js';
import { createFsStorage, createS3Storage, createUrlSigner } from './storage-factory.js';
import { Tokens } from './tokens.js';

/** The directory holding package.json and openapi.yaml, from sources (src/main) or a build (dist/src/main). */
export const PROJECT_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'openapi.yaml')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const OPENAPI_FILE = path.join(PROJECT_ROOT, 'openapi.yaml');

/** How long a status change or delete waits for its IPFS pin checks before answering (see pinSweeper). */
const PIN_SWEEP_WAIT_MS = 2000;

/** Configuration, logging and the security/system adapters. */
export function coreModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.Config).toConstantValue(config);
    bind(Tokens.DependencyHealth).toConstantValue(health);
    bind<Notifier>(Notifier).toConstantValue(notifier);
    bind(Tokens.Metrics).toConstantValue(createHttpMetrics());
    bind(Tokens.Logger).toConstantValue(logger);
    bind<Clock>(Clock).toConstantValue(new SystemClock());
    bind<IdGenerator>(IdGenerator).toConstantValue(new RandomUuidGenerator());
    bind<SecretGenerator>(SecretGenerator).toConstantValue(new CryptoSecretGenerator());
    bind<PasswordHasher>(PasswordHasher).toConstantValue(new Argon2PasswordHasher(config.argon2));
    bind<ImageProcessor>(ImageProcessor).toConstantValue(new SharpImageProcessor());
    bind<TokenIssuer>(TokenIssuer)
      .toDynamicValue(() => {
        if (!config.jwt.secret)
          throw new Error('JWT secret missing: set JWT_SECRET (the server generates one in development)');
        return new JoseTokenIssuer({
          secret: config.jwt.secret,
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          accessTtlSeconds: config.jwt.accessTtlSeconds,
        });
      })
      .inSingletonScope();
    bind(Tokens.ScratchStorage)
      .toDynamicValue(
        (ctx) =>
          new FsObjectStorage({
            root: path.join(config.dataDir, 'work'),
            baseUrl: 'http://scratch.invalid',
            signer: ctx.get(Tokens.UrlSigner),
          }),
      )
      .inSingletonScope();
    bind<RenderTokens>(RenderTokens)
      .toDynamicValue(() => {
        if (!config.jwt.secret) throw new Error('JWT secret missing: render tokens derive their key from it');
        return new HmacRenderTokens(config.jwt.secret);
      })
      .inSingletonScope();
  });
}

/** Binds every persistence port of one adapter family (knex or memory) to its token. */
function bindPersistence(
  bind: ContainerModuleLoadOptions['bind'],
  ports: TransactionalPorts,
  uow: UnitOfWork,
  stats: InspectionStats,
): void {
  bind<UserRepository>(UserRepository).toConstantValue(ports.users);
  bind<SessionRepository>(SessionRepository).toConstantValue(ports.sessions);
  bind<BranchCityRepository>(BranchCityRepository).toConstantValue(ports.branches);
  bind<AuditLog>(AuditLog).toConstantValue(ports.audit);
  bind<InspectionRepository>(InspectionRepository).toConstantValue(ports.inspections);
  bind<ChangeLogRepository>(ChangeLogRepository).toConstantValue(ports.changeLogs);
  bind<PhotoRepository>(PhotoRepository).toConstantValue(ports.photos);
  bind<PendingDeletions>(PendingDeletions).toConstantValue(ports.deletions);
  bind<ReportJobStore>(ReportJobStore).toConstantValue(ports.reportJobStore);
  bind<InspectionReports>(InspectionReports).toConstantValue(ports.reports);
  bind<MintJobStore>(MintJobStore).toConstantValue(ports.mintJobStore);
  bind<UtxoLeases>(UtxoLeases).toConstantValue(ports.utxoLeases);
  bind<UnitOfWork>(UnitOfWork).toConstantValue(uow);
  bind<InspectionStats>(InspectionStats).toConstantValue(stats);
  bind<PaymentRepository>(PaymentRepository).toConstantValue(ports.payments);
  bind<ReportUnlocks>(ReportUnlocks).toConstantValue(ports.reportUnlocks);
  bind<CustomerVehicleRepository>(CustomerVehicleRepository).toConstantValue(ports.customerVehicles);
}

/** PostgreSQL persistence through knex (jobs sent through `bus`, in the caller's transaction). */
export function postgresModule(knex: Knex, bus?: JobBus): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.Knex).toConstantValue(knex);
    const uow = new KnexUnitOfWork(knex, (db) => knexPorts(db, currentRequestMeta, bus));
    bindPersistence(bind, knexPorts(knex, currentRequestMeta, bus), uow, new KnexInspectionStats(knex));
    bind<CustomerInspectionHistory>(CustomerInspectionHistory).toConstantValue(new KnexCustomerInspectionHistory(knex));
    bind(Tokens.HealthChecks).toConstantValue([new DatabaseHealthCheck(knex)]);
  });
}

/** In-memory persistence (unit-level API tests, experiments); same contract as postgresModule. */
export function memoryModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const m = createMemoryPersistence(currentRequestMeta);
    bindPersistence(bind, m, m.uow, new MemoryInspectionStats(m.store));
    bind<CustomerInspectionHistory>(CustomerInspectionHistory).toConstantValue(
      new MemoryCustomerInspectionHistory(m.store),
    );
    bind(Tokens.HealthChecks).toConstantValue([]);
  });
}

type Get = <U>(id: ServiceIdentifier<U>) => U;

/** The minting policy's asset naming, known before any chain call. */
const archiveDeps = (g: Get): ArchiveDeps => ({ ids: g(IdGenerator), minter: g(NftMinter) });

/** Alerts to operators: always a log line, plus a Slack-compatible webhook when configured. */
export function createNotifier(config: Config, logger: Logger): Notifier {
  const targets: Notifier[] = [new LogNotifier(logger)];
  if (config.alerts.webhookUrl) targets.push(new SlackWebhookNotifier(config.alerts.webhookUrl, logger));
  return new FanOutNotifier(targets, config.alerts.quietMs);
}

/** Breaker state changes are operational events: logged, tracked (queues pause) and an opening is an alert. */
const breakerEvents = (logger: Logger, notifier: Notifier, health: DependencyHealth) => ({
  stateChanged: (name: string, state: BreakerState) => {
    health.report(name, state);
    if (state === 'closed') logger.info(`circuit breaker ${state}`, { breaker: name, state });
    else logger.warn(`circuit breaker ${state}`, { breaker: name, state });
    if (state === 'open') {
      void notifier.notify({
        kind: 'BREAKER_OPEN',
        severity: 'critical',
        title: `${name} is failing: its circuit breaker opened`,
        key: name,
        details: { breaker: name },
      });
    }
  },
});

/** Object storage chosen by STORAGE_DRIVER: the filesystem (default) or an S3-compatible bucket. */
export function storageModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.UrlSigner)
      .toDynamicValue(() => createUrlSigner(config))
      .inSingletonScope();
    bind<ObjectStorage>(ObjectStorage)
      .toDynamicValue((ctx) =>
        withBreaker(
          config.storage.driver === 's3'
            ? createS3Storage(config, logger)
            : createFsStorage(config, ctx.get(Tokens.UrlSigner)),
          { name: 'storage', timeoutMs: 0, bypass: ['signedGetUrl'], ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
  });
}

/** Report rendering: the Chromium pool, pdf-lib stamping, Ghostscript and poppler. */
export function reportModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<PdfRenderer>(PdfRenderer)
      .toDynamicValue(() =>
        withBreaker(
          new ChromiumPdfRenderer({
            executablePath: config.render.chromiumPath,
            concurrency: config.render.concurrency,
            allowedHosts: [new URL(config.reports.baseUrl).host, ...config.render.allowedHosts],
            gotoTimeoutMs: config.render.gotoTimeoutMs,
            pdfTimeoutMs: config.render.pdfTimeoutMs,
            taskTimeoutMs: config.render.taskTimeoutMs,
            assetTimeoutMs: config.render.assetTimeoutMs,
            slowAssetMs: config.render.slowAssetMs,
            attempts: config.render.attempts,
            log: logger.child({ component: 'renderer' }),
          }),
          { name: 'renderer', timeoutMs: 0, ignoreCodes: ['RENDER.QUALITY_GATE'], ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
    bind<Ipfs>(Ipfs)
      .toDynamicValue(() => {
        const { driver, cidVersion, kuboUrl, timeoutMs } = config.ipfs;
        const node =
          driver === 'kubo'
            ? new KuboIpfs({ url: kuboUrl as string, cidVersion, timeoutMs })
            : new EmbeddedIpfs({ dir: path.join(config.dataDir, 'ipfs'), cidVersion });
        return withBreaker(
          node,
          { name: 'ipfs', timeoutMs: 0, ...config.breakers },
          breakerEvents(logger, notifier, health),
        );
      })
      .inSingletonScope();
    bind<JobTelemetry>(JobTelemetry)
      .toDynamicValue(
        (ctx) =>
          new PromJobTelemetry(
            ctx.get(Tokens.Metrics).registry,
            () => ctx.get<ReportJobStore>(ReportJobStore).stats(new Date()),
            () => ctx.get<MintJobStore>(MintJobStore).stats(new Date()),
          ),
      )
      .inSingletonScope();
    bind<PdfStamper>(PdfStamper).toConstantValue(new PdfLibStamper());
    bind<PdfCompressor>(PdfCompressor).toConstantValue(new GhostscriptCompressor());
    bind<PdfInspector>(PdfInspector).toConstantValue(new PopplerPdfInspector());
  });
}

/** Cardano: the chain (CHAIN_DRIVER, behind the "chain" breaker), the minting wallet and the plate hasher. */
export function chainModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<NftMinter>(NftMinter)
      .toDynamicValue(() => {
        if (!config.mint.signingKey)
          throw new Error(
            'minting key missing: set MINT_SIGNING_KEY (the server generates one for the emulator in development)',
          );
        // The emulator is a testnet: its addresses are testnet ones.
        return new PlutsNftMinter(
          config.mint.signingKey,
          config.chain.driver === 'emulator' ? 'preview' : config.chain.network,
        );
      })
      .inSingletonScope();
    bind<PlateHasher>(PlateHasher)
      .toDynamicValue(() => {
        if (!config.mint.plateHashSecret)
          throw new Error('plate hash secret missing: set PLATE_HASH_SECRET (generated in development)');
        return new HmacPlateHasher(config.mint.plateHashSecret);
      })
      .inSingletonScope();
    // Busy inputs and ledger rejections say nothing about the provider's health.
    bind(Tokens.ChainProvider)
      .toDynamicValue((ctx) => createChain(config, ctx.get<NftMinter>(NftMinter).walletAddress))
      .inSingletonScope();
    bind<Chain>(Chain)
      .toDynamicValue((ctx) =>
        withBreaker(
          ctx.get(Tokens.ChainProvider),
          { name: 'chain', timeoutMs: 0, ignoreCodes: ['CHAIN.UTXO_BUSY'], ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
    bind(Tokens.VerifyChain)
      .toDynamicValue((ctx) =>
        withBreaker(
          ctx.get(Tokens.ChainProvider),
          { name: 'chain-verify', timeoutMs: 0, ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
  });
}

/**
 * The payment gateway chosen by PAYMENT_DRIVER: the sandbox (default; its checkout pages call our webhook
 * over HTTP at REPORT_BASE_URL, the API's own origin) or Xendit invoices (behind the "payments" breaker).
 */
export function paymentsModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<PaymentGateway>(PaymentGateway)
      .toDynamicValue((ctx) => {
        const token = config.payments.webhookToken ?? '';
        if (!token) logger.warn('PAYMENT_WEBHOOK_TOKEN is not set: every payment webhook will be refused');
        if (config.payments.driver === 'xendit') {
          const xendit = new XenditGateway({
            apiUrl: config.payments.xenditApiUrl,
            secretKey: config.payments.xenditSecretKey ?? '',
            callbackToken: token,
          });
          return withBreaker(
            xendit,
            { name: 'payments', timeoutMs: 0, bypass: ['parseWebhook', 'verifyToken'], ...config.breakers },
            breakerEvents(logger, notifier, health),
          );
        }
        if (config.production)
          logger.warn('PAYMENT_DRIVER=sandbox in production: anyone with an invoice link can mark it paid');
        return new SandboxGateway({
          checkoutBaseUrl: config.publicBaseUrl ?? config.reports.baseUrl,
          webhookUrl: `${config.reports.baseUrl}/api/v1/payments/webhook/sandbox`,
          callbackToken: token,
          payments: ctx.get<PaymentRepository>(PaymentRepository),
        });
      })
      .inSingletonScope();
  });
}

export function useCaseModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // Use cases carry no decorators: each is bound to a factory naming its ports.
    const factory = <T>(id: ServiceIdentifier<T>, make: (get: Get) => T): void => {
      bind(id)
        .toDynamicValue((ctx) => make((x) => ctx.get(x)))
        .inSingletonScope();
    };
    factory(
      SessionTokens,
      (g) =>
        new SessionTokens(g(TokenIssuer), g(SecretGenerator), g(IdGenerator), g(Clock), {
          refreshTtlDays: g(Tokens.Config).jwt.refreshTtlDays,
        }),
    );
    factory(CredentialCheck, (g) => new CredentialCheck(g(UnitOfWork), g(PasswordHasher), g(Clock)));
    factory(Authenticate, (g) => new Authenticate(g(TokenIssuer), g(UserRepository), g(SessionRepository), g(Clock)));
    factory(RegisterCustomer, (g) => new RegisterCustomer(g(UnitOfWork), g(PasswordHasher), g(IdGenerator), g(Clock)));
    factory(
      LoginWithPassword,
      (g) => new LoginWithPassword(g(UserRepository), g(CredentialCheck), g(UnitOfWork), g(SessionTokens)),
    );
    factory(
      LoginInspector,
      (g) => new LoginInspector(g(UserRepository), g(CredentialCheck), g(UnitOfWork), g(SessionTokens)),
    );
    factory(RefreshSession, (g) => new RefreshSession(g(UnitOfWork), g(SecretGenerator), g(SessionTokens), g(Clock)));
    factory(Logout, (g) => new Logout(g(UnitOfWork), g(Clock)));
    factory(LogoutAll, (g) => new LogoutAll(g(UnitOfWork), g(Clock)));
    factory(GetProfile, (g) => new GetProfile(g(UserRepository)));
    factory(UpdateProfile, (g) => new UpdateProfile(g(UnitOfWork), g(Clock)));
    factory(ChangePassword, (g) => new ChangePassword(g(UserRepository), g(UnitOfWork), g(PasswordHasher), g(Clock)));
    factory(ListMySessions, (g) => new ListMySessions(g(SessionRepository), g(Clock)));
    factory(ListUsers, (g) => new ListUsers(g(UserRepository)));
    factory(GetUser, (g) => new GetUser(g(UserRepository)));
    factory(
      CreateInspector,
      (g) => new CreateInspector(g(UnitOfWork), g(PasswordHasher), g(SecretGenerator), g(IdGenerator), g(Clock)),
    );
    factory(CreateStaffUser, (g) => new CreateStaffUser(g(UnitOfWork), g(PasswordHasher), g(IdGenerator), g(Clock)));
    factory(ChangeUserRole, (g) => new ChangeUserRole(g(UnitOfWork), g(Clock)));
    factory(SetUserActive, (g) => new SetUserActive(g(UnitOfWork), g(Clock)));
    factory(
      RegenerateInspectorPin,
      (g) => new RegenerateInspectorPin(g(UnitOfWork), g(PasswordHasher), g(SecretGenerator), g(Clock)),
    );
    factory(ListBranchCities, (g) => new ListBranchCities(g(BranchCityRepository)));
    factory(GetBranchCity, (g) => new GetBranchCity(g(BranchCityRepository)));
    factory(CreateBranchCity, (g) => new CreateBranchCity(g(UnitOfWork), g(IdGenerator), g(Clock)));
    factory(UpdateBranchCity, (g) => new UpdateBranchCity(g(UnitOfWork), g(Clock)));
    factory(DeleteBranchCity, (g) => new DeleteBranchCity(g(UnitOfWork), g(Clock)));
    factory(ListAuditLogs, (g) => new ListAuditLogs(g(AuditLog)));
    factory(PhotoLinks, (g) => new PhotoLinks(g(ObjectStorage), g(Clock), g(Tokens.Config).photos.urlTtlSeconds));
    factory(ObjectDeleter, (g) => new ObjectDeleter(g(ObjectStorage), g(PendingDeletions), g(Clock), g(Tokens.Logger)));
    const imageCheck = (g: Get): ImageCheck => ({
      images: g(ImageProcessor),
      maxPixels: g(Tokens.Config).photos.maxPixels,
    });
    const photoDeps = (g: Get): PhotoDeps => ({
      uow: g(UnitOfWork),
      storage: g(ObjectStorage),
      deleter: g(ObjectDeleter),
      links: g(PhotoLinks),
      ids: g(IdGenerator),
      clock: g(Clock),
      limits: { maxBytes: g(Tokens.Config).photos.maxBytes },
      check: imageCheck(g),
    });
    factory(
      CreateInspection,
      (g) => new CreateInspection(g(UnitOfWork), g(IdGenerator), g(Clock), g(Tokens.Config).inspectionTimeZone),
    );
    factory(ListInspections, (g) => new ListInspections(g(InspectionRepository)));
    factory(
      GetInspection,
      (g) => new GetInspection(g(InspectionRepository), g(PhotoRepository), g(ChangeLogRepository), g(PhotoLinks)),
    );
    factory(ListChangeLog, (g) => new ListChangeLog(g(InspectionRepository), g(ChangeLogRepository)));
    factory(ReviewInspection, (g) => new ReviewInspection(g(UnitOfWork), g(IdGenerator), g(Clock)));
    factory(DeleteChangeLogEntry, (g) => new DeleteChangeLogEntry(g(UnitOfWork), g(Clock)));
    factory(ApproveInspection, (g) => new ApproveInspection(g(UnitOfWork), g(IdGenerator), g(Clock)));
    factory(BulkApproveInspections, (g) => new BulkApproveInspections(g(ApproveInspection)));
    factory(
      PublicArchive,
      (g) =>
        new PublicArchive(
          g(InspectionReports),
          g(InspectionRepository),
          g(Ipfs),
          g(ObjectStorage),
          g(PendingDeletions),
          g(Clock),
          g(Tokens.Logger),
        ),
    );
    factory(
      WithdrawPrivateCids,
      (g) => new WithdrawPrivateCids(g(InspectionReports), g(MintJobStore), g(Ipfs), g(UnitOfWork), g(Clock)),
    );
    // Pin checks run after the commit, best effort: the sweeper retries what fails. The request waits for
    // them at most PIN_SWEEP_WAIT_MS (a healthy node answers in milliseconds); a slow IPFS node finishes in
    // the background and never holds the answer, which the gateway already gives from the database.
    const pinSweeper = (g: Get) => ({
      sweep: () => {
        const done = g(PublicArchive)
          .sweep()
          .catch((e: unknown) => g(Tokens.Logger).warn('ipfs pin sweep failed', { err: e }));
        let timer: NodeJS.Timeout | undefined;
        const budget = new Promise<void>((resolve) => (timer = setTimeout(resolve, PIN_SWEEP_WAIT_MS)));
        return Promise.race([done, budget]).finally(() => clearTimeout(timer));
      },
    });
    factory(
      ChangeInspectionStatus,
      (g) => new ChangeInspectionStatus(g(UnitOfWork), g(IdGenerator), g(Clock), pinSweeper(g)),
    );
    factory(DeleteInspection, (g) => new DeleteInspection(g(UnitOfWork), g(ObjectDeleter), g(Clock), pinSweeper(g)));
    factory(AddPhotos, (g) => new AddPhotos(photoDeps(g)));
    factory(UpdatePhotoMetadata, (g) => new UpdatePhotoMetadata(photoDeps(g)));
    factory(ReplacePhotoFile, (g) => new ReplacePhotoFile(photoDeps(g)));
    factory(DeletePhoto, (g) => new DeletePhoto(photoDeps(g)));
    factory(ReorderPhotos, (g) => new ReorderPhotos(photoDeps(g)));
    factory(GetDashboard, (g) => new GetDashboard(g(InspectionStats), g(Clock), g(Tokens.Config).inspectionTimeZone));
    factory(
      PreviewReport,
      (g) =>
        new PreviewReport(g(InspectionRepository), g(RenderTokens), g(Clock), g(Tokens.Config).reports.tokenTtlSeconds),
    );
    factory(
      GetReportModel,
      (g) =>
        new GetReportModel(
          g(RenderTokens),
          g(Clock),
          g(InspectionRepository),
          g(PhotoRepository),
          g(UserRepository),
          g(BranchCityRepository),
        ),
    );
    factory(
      PrintRenditions,
      (g) =>
        new PrintRenditions(
          g(PhotoRepository),
          g(ObjectStorage),
          g(ImageProcessor),
          g(Clock),
          g(Tokens.Config).photos.rendition,
        ),
    );
    factory(
      ReportSizeControl,
      (g) => new ReportSizeControl(g(Tokens.Config).reports.size, g(PdfCompressor), g(PdfInspector), g(Tokens.Logger)),
    );
    factory(
      ProcessReportJob,
      (g) =>
        new ProcessReportJob({
          uow: g(UnitOfWork),
          renderer: g(PdfRenderer),
          stamper: g(PdfStamper),
          sizeControl: g(ReportSizeControl),
          tokens: g(RenderTokens),
          scratch: g(Tokens.ScratchStorage),
          storage: g(ObjectStorage),
          ipfs: g(Ipfs),
          clock: g(Clock),
          log: g(Tokens.Logger),
          reportBaseUrl: g(Tokens.Config).reports.baseUrl,
          tokenTtlSeconds: g(Tokens.Config).reports.tokenTtlSeconds,
          telemetry: g(JobTelemetry),
          timeouts: { storeMs: g(Tokens.Config).reports.uploadTimeoutMs, ipfsMs: g(Tokens.Config).ipfs.timeoutMs },
          autoArchive: g(Tokens.Config).mint.autoArchive ? archiveDeps(g) : undefined,
        }),
    );
    const historyDeps = (g: Get): HistoryDeps => ({
      history: g(CustomerInspectionHistory),
      inspections: g(InspectionRepository),
      reports: g(InspectionReports),
      vehicles: g(CustomerVehicleRepository),
      photos: g(PhotoRepository),
      renditions: g(PrintRenditions),
      storage: g(ObjectStorage),
      urlTtlSeconds: g(Tokens.Config).photos.urlTtlSeconds,
      uow: g(UnitOfWork),
      clock: g(Clock),
    });
    factory(ListMyInspections, (g) => new ListMyInspections(historyDeps(g)));
    factory(GetMyInspection, (g) => new GetMyInspection(historyDeps(g)));
    factory(DownloadMyReport, (g) => new DownloadMyReport(historyDeps(g)));
    factory(ArchiveInspection, (g) => new ArchiveInspection(g(UnitOfWork), archiveDeps(g), g(Clock)));
    const mintLog = (g: Get) => g(Tokens.Logger).child({ component: 'mint' });
    factory(
      ProcessMintJob,
      (g) =>
        new ProcessMintJob({
          uow: g(UnitOfWork),
          chain: g(Chain),
          minter: g(NftMinter),
          plates: g(PlateHasher),
          ids: g(IdGenerator),
          clock: g(Clock),
          notifier: g(Notifier),
          telemetry: g(JobTelemetry),
          log: mintLog(g),
          chainTimeoutMs: g(Tokens.Config).chain.timeoutMs,
          leaseSeconds: g(Tokens.Config).mint.leaseSeconds,
        }),
    );
    factory(ConfirmMints, (g) => {
      const m = g(Tokens.Config).mint;
      return new ConfirmMints(
        {
          uow: g(UnitOfWork),
          chain: g(Chain),
          ids: g(IdGenerator),
          clock: g(Clock),
          notifier: g(Notifier),
          telemetry: g(JobTelemetry),
          log: mintLog(g),
        },
        {
          confirmations: m.confirmations,
          confirmTimeoutMs: m.confirmTimeoutMs,
          stuckAlertMs: m.stuckAlertMs,
          chainTimeoutMs: g(Tokens.Config).chain.timeoutMs,
          batch: 200,
        },
        (job) => g<UnitOfWork>(UnitOfWork).run((tx) => tx.mintJobs.resend(job.id, job.inspectionId)),
      );
    });
    factory(ListMintJobs, (g) => new ListMintJobs(g(MintJobStore)));
    factory(GetMintJobStats, (g) => new GetMintJobStats(g(MintJobStore), g(Clock)));
    factory(RerunFailedMints, (g) => new RerunFailedMints(g(MintJobStore), g(ArchiveInspection)));
    // One instance per container (factory() makes singletons), so its answer cache is shared by every request.
    factory(VerifyReport, (g) => {
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
    factory(GetReportJobStats, (g) => new GetReportJobStats(g(ReportJobStore), g(Clock)));
    factory(RerunFailedReportJobs, (g) => new RerunFailedReportJobs(g(ReportJobStore), g(RerunReportJob)));
    factory(ListReportJobs, (g) => new ListReportJobs(g(ReportJobStore)));
    factory(
      GetInspectionReports,
      (g) =>
        new GetInspectionReports(
          g(InspectionRepository),
          g(ReportJobStore),
          g(InspectionReports),
          g(ObjectStorage),
          g(Tokens.Config).photos.urlTtlSeconds,
        ),
    );
    factory(RerunReportJob, (g) => new RerunReportJob(g(UnitOfWork), g(Clock)));
    factory(
      GetReportPhoto,
      (g) => new GetReportPhoto(g(RenderTokens), g(Clock), g(PhotoRepository), g(ObjectStorage), g(PrintRenditions)),
    );
    // Customer vehicles and vehicle-class pricing (OwnedPhotoLinks signs request photos too).
    factory(
      OwnedPhotoLinks,
      (g) => new OwnedPhotoLinks(g(ObjectStorage), g(Clock), g(Tokens.Config).photos.urlTtlSeconds),
    );
    const vehicleDeps = (g: Get): VehicleDeps => ({
      uow: g(UnitOfWork),
      storage: g(ObjectStorage),
      deleter: g(ObjectDeleter),
      links: g(OwnedPhotoLinks),
      ids: g(IdGenerator),
      clock: g(Clock),
      limits: {
        maxBytes: g(Tokens.Config).photos.maxBytes,
        maxVehicles: g(Tokens.Config).customer.maxVehicles,
        maxStoredBytes: g(Tokens.Config).customer.maxStoredBytes,
      },
      check: imageCheck(g),
    });
    factory(ListMyVehicles, (g) => new ListMyVehicles(g(UnitOfWork), g(OwnedPhotoLinks)));
    factory(GetMyVehicle, (g) => new GetMyVehicle(g(UnitOfWork), g(OwnedPhotoLinks)));
    factory(CreateVehicle, (g) => new CreateVehicle(vehicleDeps(g)));
    factory(UpdateVehicle, (g) => new UpdateVehicle(g(UnitOfWork), g(OwnedPhotoLinks), g(Clock)));
    factory(DeleteVehicle, (g) => new DeleteVehicle(g(UnitOfWork), g(ObjectDeleter), g(Clock)));
    factory(ReplaceVehiclePhotos, (g) => new ReplaceVehiclePhotos(vehicleDeps(g)));
    factory(GetQuote, (g) => new GetQuote(g(UnitOfWork), g(Clock)));
    factory(ListVehicleClasses, (g) => new ListVehicleClasses(g(UnitOfWork), g(Clock)));
    factory(SetClassPrice, (g) => new SetClassPrice(g(UnitOfWork), g(IdGenerator), g(Clock)));
    factory(ListClassPriceHistory, (g) => new ListClassPriceHistory(g(UnitOfWork)));
    // Customer inspection requests.
    const requestDeps = (g: Get): RequestDeps => ({
      uow: g(UnitOfWork),
      ids: g(IdGenerator),
      clock: g(Clock),
      scheduleHorizonDays: g(Tokens.Config).customer.scheduleHorizonDays,
      maxOpenRequests: g(Tokens.Config).customer.maxOpenRequests,
    });
    factory(CreateMyInspectionRequest, (g) => new CreateMyInspectionRequest(requestDeps(g)));
    factory(CreateInspectionRequestForCustomer, (g) => new CreateInspectionRequestForCustomer(requestDeps(g)));
    factory(ListMyInspectionRequests, (g) => new ListMyInspectionRequests(g(UnitOfWork)));
    factory(GetMyInspectionRequest, (g) => new GetMyInspectionRequest(g(UnitOfWork), g(OwnedPhotoLinks)));
    factory(CancelMyInspectionRequest, (g) => new CancelMyInspectionRequest(requestDeps(g)));
    factory(
      AddRequestPhotos,
      (g) =>
        new AddRequestPhotos(
          {
            uow: g(UnitOfWork),
            ids: g(IdGenerator),
            clock: g(Clock),
            storage: g(ObjectStorage),
            deleter: g(ObjectDeleter),
            maxBytes: g(Tokens.Config).photos.maxBytes,
            maxStoredBytes: g(Tokens.Config).customer.maxStoredBytes,
            check: imageCheck(g),
          },
          g(OwnedPhotoLinks),
        ),
    );
    factory(ListRequestPhotos, (g) => new ListRequestPhotos(g(UnitOfWork), g(OwnedPhotoLinks)));
    factory(ListInspectionRequests, (g) => new ListInspectionRequests(g(UnitOfWork)));
    factory(GetInspectionRequest, (g) => new GetInspectionRequest(g(UnitOfWork), g(OwnedPhotoLinks)));
    factory(AssignInspectionRequest, (g) => new AssignInspectionRequest(requestDeps(g)));
    factory(ChangeInspectionRequestStatus, (g) => new ChangeInspectionRequestStatus(requestDeps(g)));
    factory(LinkRequestInspection, (g) => new LinkRequestInspection(requestDeps(g)));
    factory(WaiveRequestPayment, (g) => new WaiveRequestPayment(requestDeps(g)));
    // Payments and credits.
    const paymentDeps = (g: Get): PaymentDeps => {
      const c = g(Tokens.Config);
      const home = c.publicBaseUrl ?? c.reports.baseUrl;
      return {
        uow: g(UnitOfWork),
        gateway: g(PaymentGateway),
        users: g(UserRepository),
        ids: g(IdGenerator),
        clock: g(Clock),
        notifier: g(Notifier),
        settings: {
          invoiceTtlMinutes: c.payments.invoiceTtlMinutes,
          successUrl: c.payments.successUrl ?? home,
          failureUrl: c.payments.failureUrl ?? home,
        },
      };
    };
    factory(CreateRequestPayment, (g) => new CreateRequestPayment(paymentDeps(g)));
    factory(ListMyPayments, (g) => new ListMyPayments(g(PaymentRepository)));
    factory(HandlePaymentWebhook, (g) => new HandlePaymentWebhook(paymentDeps(g)));
    factory(ListCreditPackages, (g) => new ListCreditPackages(g(PaymentRepository)));
    factory(CreateCreditPackage, (g) => new CreateCreditPackage(g(UnitOfWork), g(IdGenerator), g(Clock)));
    factory(UpdateCreditPackage, (g) => new UpdateCreditPackage(g(UnitOfWork), g(Clock)));
    factory(PurchaseCredits, (g) => new PurchaseCredits(paymentDeps(g)));
    factory(GetMyCredits, (g) => new GetMyCredits(g(PaymentRepository)));
    factory(UnlockReport, (g) => new UnlockReport(g(UnitOfWork), g(IdGenerator), g(Clock)));
  });
}

export function httpModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.ApiSpec).toConstantValue(loadApiSpec(OPENAPI_FILE));
    bind(Tokens.HttpUseCases)
      .toDynamicValue((ctx): HttpUseCases => ({
        authenticate: ctx.get(Authenticate),
        registerCustomer: ctx.get(RegisterCustomer),
        loginWithPassword: ctx.get(LoginWithPassword),
        loginInspector: ctx.get(LoginInspector),
        refreshSession: ctx.get(RefreshSession),
        logout: ctx.get(Logout),
        logoutAll: ctx.get(LogoutAll),
        getProfile: ctx.get(GetProfile),
        updateProfile: ctx.get(UpdateProfile),
        changePassword: ctx.get(ChangePassword),
        listMySessions: ctx.get(ListMySessions),
        listUsers: ctx.get(ListUsers),
        getUser: ctx.get(GetUser),
        createInspector: ctx.get(CreateInspector),
        createStaffUser: ctx.get(CreateStaffUser),
        changeUserRole: ctx.get(ChangeUserRole),
        setUserActive: ctx.get(SetUserActive),
        regenerateInspectorPin: ctx.get(RegenerateInspectorPin),
        listBranchCities: ctx.get(ListBranchCities),
        getBranchCity: ctx.get(GetBranchCity),
        createBranchCity: ctx.get(CreateBranchCity),
        updateBranchCity: ctx.get(UpdateBranchCity),
        deleteBranchCity: ctx.get(DeleteBranchCity),
        listAuditLogs: ctx.get(ListAuditLogs),
        createInspection: ctx.get(CreateInspection),
        listInspections: ctx.get(ListInspections),
        getInspection: ctx.get(GetInspection),
        reviewInspection: ctx.get(ReviewInspection),
        listChangeLog: ctx.get(ListChangeLog),
        deleteChangeLogEntry: ctx.get(DeleteChangeLogEntry),
        approveInspection: ctx.get(ApproveInspection),
        bulkApproveInspections: ctx.get(BulkApproveInspections),
        changeInspectionStatus: ctx.get(ChangeInspectionStatus),
        deleteInspection: ctx.get(DeleteInspection),
        addPhotos: ctx.get(AddPhotos),
        updatePhotoMetadata: ctx.get(UpdatePhotoMetadata),
        replacePhotoFile: ctx.get(ReplacePhotoFile),
        deletePhoto: ctx.get(DeletePhoto),
        reorderPhotos: ctx.get(ReorderPhotos),
        getDashboard: ctx.get(GetDashboard),
        previewReport: ctx.get(PreviewReport),
        getReportModel: ctx.get(GetReportModel),
        getReportPhoto: ctx.get(GetReportPhoto),
        getInspectionReports: ctx.get(GetInspectionReports),
        listReportJobs: ctx.get(ListReportJobs),
        rerunReportJob: ctx.get(RerunReportJob),
        getReportJobStats: ctx.get(GetReportJobStats),
        rerunFailedReportJobs: ctx.get(RerunFailedReportJobs),
        archiveInspection: ctx.get(ArchiveInspection),
        listMyInspections: ctx.get(ListMyInspections),
        getMyInspection: ctx.get(GetMyInspection),
        downloadMyReport: ctx.get(DownloadMyReport),
        listMintJobs: ctx.get(ListMintJobs),
        getMintJobStats: ctx.get(GetMintJobStats),
        rerunFailedMints: ctx.get(RerunFailedMints),
        verifyReport: ctx.get(VerifyReport),
        listMyVehicles: ctx.get(ListMyVehicles),
        getMyVehicle: ctx.get(GetMyVehicle),
        createVehicle: ctx.get(CreateVehicle),
        updateVehicle: ctx.get(UpdateVehicle),
        deleteVehicle: ctx.get(DeleteVehicle),
        replaceVehiclePhotos: ctx.get(ReplaceVehiclePhotos),
        getQuote: ctx.get(GetQuote),
        listVehicleClasses: ctx.get(ListVehicleClasses),
        setClassPrice: ctx.get(SetClassPrice),
        listClassPriceHistory: ctx.get(ListClassPriceHistory),
        createMyInspectionRequest: ctx.get(CreateMyInspectionRequest),
        listMyInspectionRequests: ctx.get(ListMyInspectionRequests),
        getMyInspectionRequest: ctx.get(GetMyInspectionRequest),
        cancelMyInspectionRequest: ctx.get(CancelMyInspectionRequest),
        addRequestPhotos: ctx.get(AddRequestPhotos),
        listRequestPhotos: ctx.get(ListRequestPhotos),
        createInspectionRequestForCustomer: ctx.get(CreateInspectionRequestForCustomer),
        listInspectionRequests: ctx.get(ListInspectionRequests),
        getInspectionRequest: ctx.get(GetInspectionRequest),
        assignInspectionRequest: ctx.get(AssignInspectionRequest),
        changeInspectionRequestStatus: ctx.get(ChangeInspectionRequestStatus),
        linkRequestInspection: ctx.get(LinkRequestInspection),
        waiveRequestPayment: ctx.get(WaiveRequestPayment),
        createRequestPayment: ctx.get(CreateRequestPayment),
        listMyPayments: ctx.get(ListMyPayments),
        handlePaymentWebhook: ctx.get(HandlePaymentWebhook),
        listCreditPackages: ctx.get(ListCreditPackages),
        createCreditPackage: ctx.get(CreateCreditPackage),
        updateCreditPackage: ctx.get(UpdateCreditPackage),
        purchaseCredits: ctx.get(PurchaseCredits),
        getMyCredits: ctx.get(GetMyCredits),
        unlockReport: ctx.get(UnlockReport),
      }))
      .inSingletonScope();
  });
}

export interface ContainerParts {
  config: Config;
  logger: Logger;
  /** The job queue (pg-boss); without it, report requests are only recorded as rows. */
  bus?: JobBus;
  /** A knex instance selects PostgreSQL; omitted selects the in-memory adapters. */
  knex?: Knex;
  /** Applied last: modules that `rebind` ports (test doubles, fault injection). */
  overrides?: ContainerModule[];
}

/** The production container; a test container is the same plus `overrides`. */
export function buildContainer(p: ContainerParts): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const notifier = createNotifier(p.config, p.logger);
  const health = new DependencyHealth();
  container.load(
    coreModule(p.config, p.logger, notifier, health),
    p.knex ? postgresModule(p.knex, p.bus) : memoryModule(),
    storageModule(p.config, p.logger, notifier, health),
    reportModule(p.config, p.logger, notifier, health),
    chainModule(p.config, p.logger, notifier, health),
    paymentsModule(p.config, p.logger, notifier, health),
    useCaseModule(),
    httpModule(),
    ...(p.overrides ?? []),
  );
  return container;
}
