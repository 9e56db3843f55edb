/**
 * Benchmarks live here and run with `make bench`; timed expectations never go into tests.
 * The rendering and archive benchmarks arrive with the report and archive issues.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(dir).filter((f) => f.endsWith('.bench.ts'));
if (suites.length === 0) {
  console.log('no benchmarks yet (bench/*.bench.ts)');
} else {
  for (const s of suites) await import(path.join(dir, s));
}
