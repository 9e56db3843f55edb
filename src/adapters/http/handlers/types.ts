import type { Request, Response } from 'express';

/** A handler bound to one OpenAPI operation; validated input is in res.locals.valid. */
export type OperationHandler = (req: Request, res: Response) => Promise<void>;
export type OperationHandlers = Record<string, OperationHandler>;
