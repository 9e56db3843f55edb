/**
 * Spans around the steps of background work (report stages, Chromium renders, mint build and submit), so
 * one trace follows an approval from the HTTP request to the NFT. The adapter decides where spans go
 * (OpenTelemetry, or nowhere when tracing is off).
 */

import type { WorkOrigin } from '../domain/shared/work-origin.js';

/** What a span may say about itself: ids of inspections and jobs, stages, variants; never personal data. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

/** Wraps units of work in spans. */
export interface Tracer {
  /**
   * Runs `fn` inside a new span named `name`, a child of the current one; the span ends when `fn` settles
   * and records a rejection (its error code when it has one) before it is re-thrown unchanged.
   * Attributes must carry ids only (inspection, job), never a plate, an e-mail or a name.
   * Returns what `fn` returns. Errors: whatever `fn` throws.
   */
  inSpan<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T>;
}

export const Tracer = Symbol('Tracer');

/** A tracer that records nothing: `fn` is called as it is (tracing off, CLI, unit tests). */
export const noTracer: Tracer = {
  inSpan: (_name, _attributes, fn) => fn(),
};

/**
 * Runs `fn` on behalf of an earlier cause (work picked up long after the request that caused it, outside
 * any job): spans started inside are children of the origin's trace context, and the origin's request id
 * (null when it has none) and `ids` are current for log lines and audit rows. Starts no span of its own.
 * Returns what `fn` returns. Errors: whatever `fn` throws.
 */
export type RunInOrigin = <T>(
  origin: WorkOrigin | undefined,
  ids: Readonly<Record<string, string>>,
  fn: () => Promise<T>,
) => Promise<T>;

/** Runs `fn` as it is, in the current context (tests, no origin to restore). */
export const runInCurrentContext: RunInOrigin = (_origin, _ids, fn) => fn();
