/**
 * OpenTelemetry start-up, off by default: nothing is loaded and no SDK runs unless TRACING_ENABLED=true or
 * OTEL_TRACES_EXPORTER is otlp/console (see TRACING_ENV). When on, the SDK reads the standard OTEL_*
 * variables itself (exporter, OTLP endpoint, service name, sampler) and instruments http, express and pg;
 * the application's own spans come through the Tracer port (OtelTracer) and the job context (job-context.ts).
 * It has to run before the app's modules are imported, so the instrumentations can patch them: the entry
 * points are started with `--import ./src/main/otel-preload.ts` (make run, make worker).
 */
import { register } from 'node:module';
import { tracingWanted } from './config/observability.js';

interface Sdk {
  shutdown(): Promise<void>;
}

let running: Sdk | null = null;

/** Paths whose incoming requests make no span: probes and scrapes, every few seconds. */
const UNTRACED = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Starts the OpenTelemetry SDK when tracing is wanted; `serviceName` is used when OTEL_SERVICE_NAME is unset.
 * Returns true when it started. Metrics and logs stay with Prometheus and stdout (their OTel exporters off).
 */
export async function startTracing(env: NodeJS.ProcessEnv, serviceName: string): Promise<boolean> {
  if (running || !tracingWanted(env)) return running !== null;
  // ESM modules are patched through this loader hook, which sees only modules imported after it.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  env.OTEL_SERVICE_NAME ||= serviceName;
  env.OTEL_METRICS_EXPORTER ||= 'none';
  env.OTEL_LOGS_EXPORTER ||= 'none';
  const [{ NodeSDK }, { HttpInstrumentation }, { ExpressInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? ''),
        // Report pages and signed file URLs carry their credentials in the query string.
        redactedQueryParamsServer: ['token', 'signature', 'sig', 'expires', 'X-Amz-Signature', 'X-Amz-Credential'],
      }),
      new ExpressInstrumentation(),
      // Statements only (with their placeholders), never the bound values: those can be personal data.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  running = sdk;
  return true;
}

/** Flushes the spans not exported yet and stops the SDK (on shutdown); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const sdk = running;
  running = null;
  await sdk?.shutdown().catch(() => undefined);
}
