/**
 * Generates the Grafana dashboards (ops/grafana/dashboards/<uid>.json) from the TypeScript definitions in
 * scripts/dashboards/ (@grafana/grafana-foundation-sdk). The directory belongs to the generator: a JSON file
 * there that no definition produces is deleted. Docs: docs/grafana.md.
 *
 *   npx tsx scripts/dashboards/build.ts           # write the files
 *   npx tsx scripts/dashboards/build.ts --check   # exit 1 if a committed file differs, is missing or is stale
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_DIR, renderAll } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(ROOT, DASHBOARD_DIR);
const check = process.argv.includes('--check');

const files = await renderAll();
const existing = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const stale = existing.filter((f) => !files.has(f));

if (check) {
  const problems: string[] = stale.map((f) => `${DASHBOARD_DIR}/${f}: not produced by the generator (stale)`);
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    if (!existsSync(file)) problems.push(`${DASHBOARD_DIR}/${name}: missing`);
    else if (readFileSync(file, 'utf8') !== content)
      problems.push(`${DASHBOARD_DIR}/${name}: differs from the generator's output`);
  }
  for (const p of problems) console.log(p);
  if (problems.length > 0) {
    console.log(`dashboards: ${problems.length} problem(s); run: npx tsx scripts/dashboards/build.ts`);
    process.exit(1);
  }
  console.log(`dashboards: ${files.size} files up to date in ${DASHBOARD_DIR}`);
} else {
  mkdirSync(dir, { recursive: true });
  for (const f of stale) rmSync(path.join(dir, f));
  for (const [name, content] of files) writeFileSync(path.join(dir, name), content);
  console.log(
    `dashboards: wrote ${files.size} files to ${DASHBOARD_DIR}${stale.length ? `, removed ${stale.join(', ')}` : ''}`,
  );
}
