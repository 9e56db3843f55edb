/**
 * Regenerates the configuration table of README.md (between the config markers) and .env.example from
 * the schema in src/main/config.ts, so the three never drift (test/unit/main/config.spec.ts checks it).
 * Run: npx tsx scripts/env-docs.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ENV_SCHEMA } from '../src/main/config.js';

type Prop = { default?: unknown; description: string };
const props = ENV_SCHEMA.properties as unknown as Record<string, Prop>;
const shown = (v: unknown) => (v === undefined ? '—' : `\`${v === '' ? '(empty)' : String(v)}\``);

const table = [
  '| variable | default | meaning |',
  '|---|---|---|',
  ...Object.entries(props).map(
    ([k, p]) => `| \`${k}\` | ${shown(p.default)} | ${p.description.replace(/\|/g, '\\|')} |`,
  ),
].join('\n');
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- config:start -->';
const end = '<!-- config:end -->';
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md lacks the config markers');
writeFileSync(
  'README.md',
  `${readme.slice(0, readme.indexOf(start) + start.length)}\n${table}\n${readme.slice(readme.indexOf(end))}`,
);

const example = [
  '# CAR-dano backend configuration. Copy to .env (never commit it); `make run` reads it.',
  '# Every variable is optional in development: the defaults run on embedded adapters.',
  '# Secrets (DATABASE_URL, JWT_SECRET, METRICS_TOKEN, STORAGE_URL_SECRET, S3 keys) may instead be given as a file path in NAME_FILE.',
  '',
  ...Object.entries(props).flatMap(([k, p]) => [
    `# ${p.description}`,
    `${p.default === undefined ? '# ' : ''}${k}=${p.default ?? ''}`,
    '',
  ]),
].join('\n');
writeFileSync('.env.example', example);
console.log(`documented ${Object.keys(props).length} variables`);
