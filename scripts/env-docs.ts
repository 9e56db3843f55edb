/**
 * Regenerates the configuration table of README.md (between the config markers) and .env.example from
 * the schema the sections of src/main/config/ declare (ENV_SCHEMA, in their documentation order), so the
 * three never drift (test/unit/main/config.spec.ts checks it).
 * Run: npx tsx scripts/env-docs.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ENV_SCHEMA } from '../src/main/config.js';

type Prop = { default?: unknown; description: string; secretFile?: true };
const props = ENV_SCHEMA.properties as unknown as Record<string, Prop>;
const secrets = Object.entries(props)
  .filter(([, p]) => p.secretFile)
  .map(([k]) => k);
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
  `# Secrets (${secrets.join(', ')}) may instead be given as a file path in NAME_FILE.`,
  '',
  ...Object.entries(props).flatMap(([k, p]) => [
    `# ${p.description}`,
    `${p.default === undefined ? '# ' : ''}${k}=${p.default ?? ''}`,
    '',
  ]),
].join('\n');
writeFileSync('.env.example', example);
console.log(`documented ${Object.keys(props).length} variables`);
