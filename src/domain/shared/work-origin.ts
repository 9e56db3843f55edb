/**
 * What caused a piece of background work, kept with the work so that whatever later acts on it can say so:
 * the W3C trace context (`traceparent`, `tracestate`) of the span that caused it (only when tracing was on)
 * and the id of the HTTP request behind it. Every field is optional: work created outside a request, or
 * before origins were recorded, has none.
 */
export interface WorkOrigin {
  traceparent?: string;
  tracestate?: string;
  requestId?: string;
}

/** The origin current when work is created (the composition root reads the trace and request contexts). */
export type WorkOriginSource = () => WorkOrigin;
