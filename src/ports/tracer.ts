/**
 * Spans around the steps of background work (report stages, Chromium renders, mint build and submit), so
 * one trace follows an approval from the HTTP request to the NFT. The adapter decides where spans go
 * (OpenTelemetry, or nowhere when tracing is off).
 */

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
