/**
 * Loaded with `node --import` (through tsx: `tsx --import ./src/main/otel-preload.ts src/main/server.ts`)
 * before the entry point's own imports, so OpenTelemetry can patch http, express and pg when tracing is on.
 * With tracing off it loads nothing else.
 */
import { startTracing } from './tracing.js';

const worker = /worker-main\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
await startTracing(process.env, worker ? 'car-dano-worker' : 'car-dano-api');
