import { EmbeddedIpfs } from '../../../adapters/ipfs/embedded-ipfs.js';
import { KuboIpfs } from '../../../adapters/ipfs/kubo-ipfs.js';
import { instrumentIpfs } from '../../../adapters/observability/dependency-metrics.js';
import { PromJobTelemetry } from '../../../adapters/observability/job-metrics.js';
import { OtelTracer } from '../../../adapters/observability/otel-tracer.js';
import { registerQueueMetrics } from '../../../adapters/observability/queue-metrics.js';
import type { Logger } from '../../../adapters/observability/logger.js';
import { ChromiumPdfRenderer } from '../../../adapters/pdf/chromium-pdf-renderer.js';
import { PdfLibStamper } from '../../../adapters/pdf/pdf-metadata.js';
import { GhostscriptCompressor, PopplerPdfInspector } from '../../../adapters/pdf/pdf-tools.js';
import { withBreaker } from '../../../adapters/resilience/breaker.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import { Ipfs } from '../../../ports/ipfs.js';
import { JobTelemetry } from '../../../ports/job-telemetry.js';
import { MintJobStore } from '../../../ports/mint-jobs.js';
import type { Notifier } from '../../../ports/notifier.js';
import { PdfRenderer } from '../../../ports/pdf-renderer.js';
import { PdfCompressor, PdfInspector, PdfStamper } from '../../../ports/pdf-tools.js';
import { ReportJobStore } from '../../../ports/report-jobs.js';
import { noTracer, Tracer } from '../../../ports/tracer.js';
import type { Config } from '../../config.js';
import { Tokens } from '../../tokens.js';
import { breakerEvents } from './alerts.js';
import { ContainerModule } from 'inversify';
import path from 'node:path';

/** Report rendering: the Chromium pool, pdf-lib stamping, Ghostscript and poppler. */
export function renderingModule(
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
      .toDynamicValue((ctx) => {
        const { driver, cidVersion, kuboUrl, timeoutMs } = config.ipfs;
        const node =
          driver === 'kubo'
            ? new KuboIpfs({ url: kuboUrl as string, cidVersion, timeoutMs })
            : new EmbeddedIpfs({ dir: path.join(config.dataDir, 'ipfs'), cidVersion });
        return withBreaker(
          instrumentIpfs(node, ctx.get(Tokens.Metrics).registry),
          { name: 'ipfs', timeoutMs: 0, ...config.breakers },
          breakerEvents(logger, notifier, health),
        );
      })
      .inSingletonScope();
    bind<JobTelemetry>(JobTelemetry)
      .toDynamicValue((ctx) => {
        const registry = ctx.get(Tokens.Metrics).registry;
        registerQueueMetrics(
          registry,
          () => ctx.get<ReportJobStore>(ReportJobStore).stats(new Date()),
          () => ctx.get<MintJobStore>(MintJobStore).stats(new Date()),
        );
        return new PromJobTelemetry(registry);
      })
      .inSingletonScope();
    // Off: the no-op tracer, so the stages pay one function call, not an OpenTelemetry context switch.
    bind<Tracer>(Tracer).toConstantValue(config.tracing.enabled ? new OtelTracer() : noTracer);
    bind<PdfStamper>(PdfStamper).toConstantValue(new PdfLibStamper());
    bind<PdfCompressor>(PdfCompressor).toConstantValue(new GhostscriptCompressor());
    bind<PdfInspector>(PdfInspector).toConstantValue(new PopplerPdfInspector());
  });
}
