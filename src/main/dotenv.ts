import { readFileSync } from 'node:fs';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/**
 * The KEY=VALUE lines of a `.env` file (as `make run` sources it): comments and blank lines skipped, an
 * optional `export `, values optionally in single or double quotes. A missing file is an empty map; the
 * result has no prototype, so a key like `__proto__` is just a key.
 */
export function readDotenv(file: string): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const raw of text.split(/\r?\n/).slice(0, 10_000)) {
    if (/^\s*(#|$)/.test(raw)) continue;
    const m = LINE.exec(raw);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}
