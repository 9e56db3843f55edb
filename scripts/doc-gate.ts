/**
 * The documentation gate of `make lint` (rules: scripts/lib/doc-gate.ts and docs/CONTRIBUTING.md). Reads
 * openapi.yaml, src/ports/*.ts and src/application/**\/*.ts; prints one line per problem and exits 1, or
 * prints a one-line summary and exits 0 (after the problems, too, the summary is the last line).
 * Run: npx tsx scripts/doc-gate.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { isPortSource, isUseCaseSource, runDocGate, type DocGateStats, type SourceText } from './lib/doc-gate.js';

const root = process.cwd();
const SPEC = 'openapi.yaml';

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => isPortSource(p) || isUseCaseSource(p))
    .sort();
}

const sources: SourceText[] = [...tsFiles('src/ports'), ...tsFiles('src/application')].map((path) => ({
  path,
  text: readFileSync(join(root, path), 'utf8'),
}));
let spec: Record<string, unknown>;
try {
  spec = parse(readFileSync(join(root, SPEC), 'utf8')) as Record<string, unknown>;
} catch (e) {
  console.log(`${SPEC}: cannot be read as YAML: ${String((e as Error).message).split('\n')[0]}`);
  process.exit(1);
}
const { problems, stats } = runDocGate({ spec, specPath: SPEC, sources });

const summary = (s: DocGateStats): string =>
  `doc gate: ${s.operationsComplete}/${s.operations} operations complete, ${s.propertiesDescribed}/${s.properties} schema properties described, ` +
  `${s.portMethodsDocumented}/${s.portMethods} port methods and ${s.useCasesDocumented}/${s.useCases} use cases documented`;

for (const line of problems) console.log(line);
if (problems.length > 0) {
  console.log(`${summary(stats)}; ${problems.length} problems (see docs/CONTRIBUTING.md, "The documentation gate")`);
  process.exit(1);
}
console.log(summary(stats));
