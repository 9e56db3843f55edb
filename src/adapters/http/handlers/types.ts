import type { Request, Response } from 'express';

/** A handler bound to one OpenAPI operation; validated input is in res.locals.valid. */
export type OperationHandler = (req: Request, res: Response) => Promise<void>;
export type OperationHandlers = Record<string, OperationHandler>;

/**
 * The handlers of every feature as one map by operationId. Each operation must be handled exactly once:
 * two features claiming the same operationId is a wiring error, refused at start-up.
 */
export function mergeHandlers(groups: readonly OperationHandlers[]): OperationHandlers {
  const merged: OperationHandlers = {};
  const twice: string[] = [];
  for (const group of groups) {
    for (const [operationId, handler] of Object.entries(group)) {
      if (Object.hasOwn(merged, operationId)) twice.push(operationId);
      merged[operationId] = handler;
    }
  }
  if (twice.length > 0) throw new Error(`more than one handler for [${twice.join(', ')}]`);
  return merged;
}
