import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
  ip: string | null;
  userId?: string;
}

/** The current request, carried through async calls so log lines and audit rows can name it. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentRequestMeta = (): { requestId: string | null; ip: string | null } => {
  const c = requestContext.getStore();
  return { requestId: c?.requestId ?? null, ip: c?.ip ?? null };
};
