import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/adapters/observability/logger.js';

/** A real winston logger whose JSON lines are kept in memory for assertions. */
export function memoryLogger(level = 'debug'): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  raw: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger(level, stream);
  const raw = () => chunks.join('');
  return {
    logger,
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
