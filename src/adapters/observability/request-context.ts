import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** The HTTP request's id; in a background job, the id of the request that caused it (null when none did). */
  requestId: string | null;
  ip: string | null;
  userId?: string;
  /** In a background job: its ids (jobId, mintJobId, inspectionId), added to every log line. */
  job?: Readonly<Record<string, string>>;
}

/** The current request (or the job it caused), carried through async calls so log lines and audit rows can name it. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentRequestMeta = (): { requestId: string | null; ip: string | null } => {
  const c = requestContext.getStore();
  return { requestId: c?.requestId ?? null, ip: c?.ip ?? null };
};
