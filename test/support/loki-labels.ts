/**
 * The log pipeline of ops/loki/alloy/config.alloy, in TypeScript, for test/ops/loki.spec.ts: which Loki
 * labels a CAR-dano log line gets, and what becomes of the line. The policy's values (file globs and their
 * service, the journald and Docker regexes, the level mapping, static labels, the label_keep list, the
 * timestamp-duplicate regex, the line-size and age limits) are READ FROM the config files, so the mirror
 * follows them; the stages are applied in the order config.alloy runs them:
 *
 *   source (file glob | journald unit relabel | docker label relabel; no service = not read / dropped)
 *   -> stage.json (level, ts) -> stage.timestamp (ts) -> stage.replace (drop the "timestamp" duplicate)
 *   -> stage.template x2 (lower-case, then map the level) -> stage.labels (level) -> stage.static_labels (app)
 *   -> stage.drop (longer_than, older_than) -> stage.label_keep -> loki.write external_labels (env)
 *
 * `parseAlloyPolicy` and `parsePromtailPolicy` read the same policy from both agents' configs, so the test
 * can also prove the promtail equivalent says the same.
 */
import { parse } from 'yaml';

export interface LabelPolicy {
  /** Files read, each glob with its service. */
  fileTargets: { glob: string; service: string }[];
  /** systemd unit -> service (first capture group). */
  journalUnit: string;
  /** Docker container label car-dano.service -> service (first capture group). */
  dockerService: string;
  /** Winston level (lower-cased, trimmed) -> label value; anything else -> `levelDefault`. */
  levelMap: Record<string, string>;
  levelDefault: string;
  /** Labels set to constants in the pipeline. */
  staticLabels: Record<string, string>;
  /** Labels added at write time from the environment (name -> environment variable). */
  externalLabels: Record<string, string>;
  /** The label_keep / labelallow list. */
  keep: string[];
  /** Every label name the config can create (static, extracted, relabel targets, path target labels, external). */
  declared: string[];
  /** stage.replace regex: its capture group is removed from the line. */
  timestampDuplicate: string;
  longerThanBytes: number;
  olderThanHours: number;
}

export type LogSource =
  | { kind: 'file'; path: string }
  | { kind: 'journal'; unit: string }
  | { kind: 'docker'; containerLabels: Record<string, string> };

export interface Shipped {
  labels: Record<string, string>;
  line: string;
  time?: Date;
}

const SIZE: Record<string, number> = { B: 1, KB: 1000, KiB: 1024, MB: 1e6, MiB: 1024 * 1024 };
/** A size as the agents and Loki write it (`256KiB` = 262144, `256KB` = 256000). */
export function bytes(text: string): number {
  const m = /^(\d+)\s*([A-Za-z]+)$/.exec(text.trim());
  if (!m || !SIZE[m[2] as string]) throw new Error(`size ${text}`);
  return Number(m[1]) * (SIZE[m[2] as string] as number);
}
function hours(text: string): number {
  const m = /^(\d+)h$/.exec(text.trim());
  if (!m) throw new Error(`duration ${text} (expected <n>h)`);
  return Number(m[1]);
}

/** The level template `{{ if or (eq .Value "a") ... }}x{{ else if ... }}y{{ else }}z{{ end }}` as a map. */
export function levelMapOf(template: string): { map: Record<string, string>; fallback: string } {
  const map: Record<string, string> = {};
  const branch = /\{\{ (?:else )?if (.+?) \}\}(\w+)(?=\{\{)/g;
  for (let m = branch.exec(template); m; m = branch.exec(template)) {
    for (const v of (m[1] as string).matchAll(/eq \.Value "([^"]*)"/g)) map[v[1] as string] = m[2] as string;
  }
  const fallback = /\{\{ else \}\}(\w+)\{\{ end \}\}$/.exec(template)?.[1];
  if (!fallback || Object.keys(map).length === 0) throw new Error(`unexpected level template: ${template}`);
  return { map, fallback };
}

/** Body of the first `<header> {` block (balanced braces), or undefined. */
function block(text: string, header: string): string | undefined {
  const start = text.indexOf(`${header} {`);
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(text.indexOf('{', start) + 1, i);
  }
  throw new Error(`unbalanced block ${header}`);
}
function blocks(text: string, header: string): string[] {
  const out: string[] = [];
  let rest = text;
  for (let b = block(rest, header); b !== undefined; b = block(rest, header)) {
    out.push(b);
    rest = rest.slice(rest.indexOf(`${header} {`) + header.length + b.length + 3);
  }
  return out;
}
/** An Alloy string literal's value. */
const alloyString = (literal: string): string => JSON.parse(literal) as string;
function attr(body: string, name: string): string {
  const m = new RegExp(`^\\s*${name}\\s*=\\s*("(?:[^"\\\\]|\\\\.)*")`, 'm').exec(body);
  if (!m) throw new Error(`no ${name} in ${body.slice(0, 80)}`);
  return alloyString(m[1] as string);
}
/** Keys of an Alloy object literal `{a = "x", b = ""}`. */
const objectKeys = (literal: string): string[] =>
  [...literal.matchAll(/"?([A-Za-z_][\w]*)"?\s*=/g)].map((m) => m[1] as string);

/** The label policy as ops/loki/alloy/config.alloy declares it (comments stripped first). */
export function parseAlloyPolicy(text: string): LabelPolicy {
  const src = text
    .split('\n')
    .map((l) => l.replace(/^\s*\/\/.*$/, ''))
    .join('\n');
  const fileMatch = block(src, 'local.file_match "car_dano"') ?? '';
  const fileTargets = [...fileMatch.matchAll(/\{"__path__" = ("[^"]*"), "service" = ("[^"]*")\}/g)].map((m) => ({
    glob: alloyString(m[1] as string),
    service: alloyString(m[2] as string),
  }));
  const journalRule = block(block(src, 'loki.relabel "journal"') ?? '', 'rule') ?? '';
  const dockerRule = block(block(src, 'discovery.relabel "docker"') ?? '', 'rule') ?? '';
  const proc = block(src, 'loki.process "car_dano"') ?? '';
  const templates = blocks(proc, 'stage.template').map((b) => attr(b, 'template'));
  const level = levelMapOf(templates[1] ?? '');
  const staticLabels: Record<string, string> = {};
  for (const m of (block(proc, 'stage.static_labels') ?? '').matchAll(/(\w+)\s*=\s*("[^"]*")/g))
    staticLabels[m[1] as string] = alloyString(m[2] as string);
  const extracted = objectKeys(/values\s*=\s*(\{[^}]*\})/.exec(block(proc, 'stage.labels') ?? '')?.[1] ?? '');
  const externalLabels: Record<string, string> = {};
  const ext = /external_labels\s*=\s*\{([^}]*)\}/.exec(src)?.[1] ?? '';
  for (const m of ext.matchAll(/(\w+)\s*=\s*sys\.env\("(\w+)"\)/g)) externalLabels[m[1] as string] = m[2] as string;
  const keep = [
    ...(/values\s*=\s*\[([^\]]*)\]/.exec(block(proc, 'stage.label_keep') ?? '')?.[1] ?? '').matchAll(/"([^"]*)"/g),
  ].map((m) => m[1] as string);
  const drops = blocks(proc, 'stage.drop');
  const targets = [...src.matchAll(/target_label\s*=\s*("[^"]*")/g)].map((m) => alloyString(m[1] as string));
  const pathLabels = [...fileMatch.matchAll(/"(\w+)" = "/g)]
    .map((m) => m[1] as string)
    .filter((l) => !l.startsWith('__'));
  return {
    fileTargets,
    journalUnit: attr(journalRule, 'regex'),
    dockerService: attr(dockerRule, 'regex'),
    levelMap: level.map,
    levelDefault: level.fallback,
    staticLabels,
    externalLabels,
    keep,
    declared: [
      ...new Set([
        ...Object.keys(staticLabels),
        ...extracted,
        ...targets,
        ...pathLabels,
        ...Object.keys(externalLabels),
      ]),
    ].sort(),
    timestampDuplicate: attr(block(proc, 'stage.replace') ?? '', 'expression'),
    longerThanBytes: bytes(drops.map((d) => /longer_than\s*=\s*"([^"]*)"/.exec(d)?.[1]).find(Boolean) ?? ''),
    olderThanHours: hours(drops.map((d) => /older_than\s*=\s*"([^"]*)"/.exec(d)?.[1]).find(Boolean) ?? ''),
  };
}

type Stage = Record<string, Record<string, unknown> | string[] | undefined>;
interface PromtailJob {
  job_name: string;
  static_configs?: { labels?: Record<string, string> }[];
  relabel_configs?: { source_labels?: string[]; regex?: string; target_label?: string; action?: string }[];
  pipeline_stages?: Stage[];
}

/** The same policy from ops/loki/promtail/config.yml. */
export function parsePromtailPolicy(text: string): LabelPolicy {
  const cfg = parse(text) as {
    clients: { external_labels?: Record<string, string> }[];
    scrape_configs: PromtailJob[];
  };
  const job = (name: string) => cfg.scrape_configs.find((j) => j.job_name === name) as PromtailJob;
  const files = job('car-dano-files');
  const stages = files.pipeline_stages ?? [];
  for (const j of cfg.scrape_configs)
    if (JSON.stringify(j.pipeline_stages) !== JSON.stringify(stages))
      throw new Error(`${j.job_name}: another pipeline`);
  const stage = (name: string) => stages.filter((s) => s[name] !== undefined).map((s) => s[name]);
  const templates = stage('template').map((t) => (t as { template: string }).template);
  const level = levelMapOf(templates[1] ?? '');
  const staticLabels = (stage('static_labels')[0] ?? {}) as Record<string, string>;
  const externalLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg.clients[0]?.external_labels ?? {}))
    externalLabels[k] = /^\$\{(\w+)\}$/.exec(v)?.[1] ?? v;
  const relabelTarget = (j: PromtailJob) =>
    (j.relabel_configs ?? []).find((r) => r.target_label === 'service') as { regex: string };
  const drops = stage('drop') as { longer_than?: string; older_than?: string }[];
  const fileTargets = (files.static_configs ?? []).map((s) => ({
    glob: s.labels?.__path__ as string,
    service: s.labels?.service as string,
  }));
  const targets = cfg.scrape_configs.flatMap((j) =>
    (j.relabel_configs ?? []).map((r) => r.target_label).filter(Boolean),
  );
  const pathLabels = (files.static_configs ?? []).flatMap((s) =>
    Object.keys(s.labels ?? {}).filter((l) => !l.startsWith('__')),
  );
  return {
    fileTargets,
    journalUnit: relabelTarget(job('car-dano-journal')).regex,
    dockerService: relabelTarget(job('car-dano-docker')).regex,
    levelMap: level.map,
    levelDefault: level.fallback,
    staticLabels,
    externalLabels,
    keep: (stage('labelallow')[0] ?? []) as string[],
    declared: [
      ...new Set([
        ...Object.keys(staticLabels),
        ...Object.keys((stage('labels')[0] ?? {}) as object),
        ...(targets as string[]),
        ...pathLabels,
        ...Object.keys(externalLabels),
      ]),
    ].sort(),
    timestampDuplicate: (stage('replace')[0] as { expression: string }).expression,
    longerThanBytes: bytes(drops.map((d) => d.longer_than).find(Boolean) ?? ''),
    olderThanHours: hours(drops.map((d) => d.older_than).find(Boolean) ?? ''),
  };
}

/** A file glob (`*` = any characters but `/`) as an anchored regex. */
const globRegex = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);

/** Source labels after discovery and relabelling; undefined when the source is not read or is dropped. */
function sourceLabels(p: LabelPolicy, source: LogSource): Record<string, string> | undefined {
  if (source.kind === 'file') {
    const t = p.fileTargets.find((f) => globRegex(f.glob).test(source.path));
    return t ? { filename: source.path, service: t.service } : undefined;
  }
  const [value, regex] =
    source.kind === 'journal'
      ? [source.unit, p.journalUnit]
      : [source.containerLabels['car-dano.service'] ?? '', p.dockerService];
  const service = new RegExp(regex).exec(value)?.[1];
  if (!service) return undefined;
  // Everything else a source discovers (__journal_*, __meta_docker_*) is internal: dropped after relabelling.
  return source.kind === 'journal'
    ? { service, unit: source.unit }
    : { service, container: source.containerLabels['com.docker.compose.service'] ?? 'car-dano' };
}

/**
 * What Loki receives for one line of `source` (env = $CAR_DANO_ENV), or undefined when the pipeline drops
 * it (source not ours, line too long, too old). `now` is the agent's clock.
 */
export function shipLine(
  p: LabelPolicy,
  source: LogSource,
  line: string,
  env: Record<string, string>,
  now = new Date(),
): Shipped | undefined {
  const labels = sourceLabels(p, source);
  if (!labels) return undefined;
  // stage.json: a line that is not a JSON object extracts nothing (and gets no level label).
  let extracted: { level?: unknown; ts?: unknown } = {};
  try {
    const obj = JSON.parse(line) as unknown;
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      const o = obj as Record<string, unknown>;
      extracted = { level: o.level, ts: o.timestamp };
    }
  } catch {
    // not JSON: kept as is
  }
  // stage.timestamp (RFC3339, skipped on failure).
  const parsedTime = typeof extracted.ts === 'string' ? new Date(extracted.ts) : undefined;
  const time = parsedTime && !Number.isNaN(parsedTime.getTime()) ? parsedTime : undefined;
  // stage.replace: every match's capture group removed.
  const dup = new RegExp(p.timestampDuplicate, 'g');
  const out = line.replace(dup, (whole: string, group: string) => whole.replace(group, ''));
  // stage.template x2 + stage.labels.
  if (typeof extracted.level === 'string') {
    const lower = extracted.level.trim().toLowerCase();
    labels.level = p.levelMap[lower] ?? p.levelDefault;
  }
  Object.assign(labels, p.staticLabels);
  // stage.drop (longer_than, older_than).
  if (Buffer.byteLength(out, 'utf8') > p.longerThanBytes) return undefined;
  if (time && now.getTime() - time.getTime() > p.olderThanHours * 3600_000) return undefined;
  // stage.label_keep, then the write's external labels.
  for (const k of Object.keys(labels)) if (!p.keep.includes(k)) delete labels[k];
  for (const [k, variable] of Object.entries(p.externalLabels)) labels[k] = env[variable] ?? '';
  return { labels, line: out, time };
}
