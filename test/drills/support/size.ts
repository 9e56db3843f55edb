/**
 * Drill sizes: DRILL_SIZE=small (default, part of `make test`, the whole tier stays within a few minutes on
 * two cores) or full (`make drill`, the sizes the issues name).
 */
export type DrillSize = 'small' | 'full';

export const DRILL_SIZE: DrillSize = process.env.DRILL_SIZE === 'full' ? 'full' : 'small';

/** The small or the full figure. */
export const sized = <T>(small: T, full: T): T => (DRILL_SIZE === 'full' ? full : small);

/** One summary line the lead can quote: `DRILL: <name> key=value ...`. */
export function drillSummary(name: string, figures: Record<string, string | number | boolean>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${v}`);
  console.log(`DRILL: ${name} [${DRILL_SIZE}] ${parts.join(' ')}`);
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
