/**
 * PromQL helpers for the checks of dashboards and rules (test/ops/dashboards.spec.ts):
 * - `withoutGrafanaVariables`: a Grafana query made plain PromQL (`$__rate_interval` → `5m`, `$env` → `.*`);
 * - `metricNamesOf`: the metric names an expression selects, from the parse tree of
 *   @prometheus-io/lezer-promql (the grammar Prometheus's own UI uses), so function names, aggregation
 *   operators, label names, grouping labels and strings are never mistaken for metrics;
 * - `checkWithPromtool`: every expression through `promtool check rules` (the Prometheus parser itself),
 *   with the failures mapped back to the expressions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { stringify } from 'yaml';

/** Grafana's built-in range variables, as plain PromQL durations or numbers. */
const BUILTINS: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '5m',
  __range: '5m',
  __interval_ms: '300000',
  __range_ms: '300000',
  __range_s: '300',
};

/**
 * The expression with Grafana variables replaced: built-in ranges (`$__rate_interval`, `$__interval`,
 * `$__range`...) by `5m`, any other `$var`, `${var}`, `${var:format}` or `[[var]]` by `values[var]`, else
 * `.*` (these sit in regex matchers: `service=~"$service"`). `$1`-style references (label_replace) stay.
 */
export function withoutGrafanaVariables(expr: string, values: Record<string, string> = {}): string {
  return expr.replace(
    /\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g,
    (_m, braced: string | undefined, bare: string | undefined, old: string | undefined) => {
      const name = (braced ?? bare ?? old) as string;
      return BUILTINS[name] ?? values[name] ?? '.*';
    },
  );
}

export class PromqlSyntaxError extends Error {}

type Node = ReturnType<typeof parser.parse>['topNode'];

const unquote = (text: string, literal: Node): string => {
  const raw = text.slice(literal.from, literal.to);
  // PromQL strings: "..." and '...' with Go escapes, or `...` raw. JSON covers the double-quoted form.
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  return raw.slice(1, -1);
};

/** Metric names one VectorSelector selects: its identifier, a `__name__="x"` matcher or a quoted name `{"x"}`. */
function selectorNames(text: string, selector: Node): string[] {
  const names: string[] = [];
  const id = selector.getChild('Identifier');
  if (id) names.push(text.slice(id.from, id.to));
  const matchers = selector.getChild('LabelMatchers');
  for (let c = matchers?.firstChild ?? null; c; c = c.nextSibling) {
    if (c.name === 'QuotedLabelName') names.push(unquote(text, c.getChild('StringLiteral') ?? c));
    if (c.name !== 'UnquotedLabelMatcher' && c.name !== 'QuotedLabelMatcher') continue;
    const label = c.getChild('LabelName') ?? c.getChild('QuotedLabelName');
    const op = c.getChild('MatchOp');
    const value = c.getChild('StringLiteral');
    if (!label || !op || !value) continue;
    const labelText = label.name === 'LabelName' ? text.slice(label.from, label.to) : unquote(text, label);
    if (labelText === '__name__' && op.firstChild?.name === 'EqlSingle') names.push(unquote(text, value));
  }
  return names;
}

/**
 * The metric names an expression selects, sorted and unique. Grafana variables are replaced first. Throws
 * PromqlSyntaxError when the expression does not parse (the tree has an error node), so a broken
 * expression cannot pass the metric check by yielding no names.
 */
export function metricNamesOf(expr: string): string[] {
  const text = withoutGrafanaVariables(expr);
  const tree = parser.parse(text);
  const names = new Set<string>();
  let errorAt: number | undefined;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError && errorAt === undefined) errorAt = ref.from;
      if (ref.name === 'VectorSelector') for (const n of selectorNames(text, ref.node)) names.add(n);
    },
  });
  if (errorAt !== undefined) {
    throw new PromqlSyntaxError(`PromQL does not parse at offset ${errorAt}: ${text.slice(errorAt, errorAt + 40)}`);
  }
  return [...names].sort();
}

export interface PromtoolFailure {
  /** Index of the expression in the list given to checkWithPromtool (-1: promtool failed as a whole). */
  index: number;
  expr: string;
  error: string;
}

/** The promtool binary: $PROMTOOL, else `promtool` on PATH; undefined when neither runs. */
export function promtoolPath(): string | undefined {
  const candidate = process.env.PROMTOOL || 'promtool';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? undefined : candidate;
}

/**
 * Writes every expression (Grafana variables replaced) as a recording rule `promql_check_<i>` into a
 * temporary rules file and runs `promtool check rules` on it. Returns one failure per expression promtool
 * rejects (empty: all parse); if promtool fails without naming a rule, one failure with index -1 carries its
 * output. Throws when promtool is not installed (see promtoolPath).
 */
export function checkWithPromtool(exprs: string[], values: Record<string, string> = {}): PromtoolFailure[] {
  const promtool = promtoolPath();
  if (!promtool) throw new Error('promtool not found (Debian package prometheus, or set PROMTOOL)');
  const plain = exprs.map((e) => withoutGrafanaVariables(e, values));
  const rules = plain.map((expr, i) => ({ record: `promql_check_${i}`, expr }));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promql-check-'));
  try {
    const file = path.join(dir, 'rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'promql_check', rules }] }, { lineWidth: 0 }));
    const run = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
    if (run.status === 0) return [];
    const output = `${run.stdout}${run.stderr}`;
    const failures: PromtoolFailure[] = [];
    for (const line of output.split('\n')) {
      const m = /"promql_check_(\d+)": (.*)$/.exec(line);
      if (!m) continue;
      const index = Number(m[1]);
      failures.push({ index, expr: exprs[index] as string, error: m[2] as string });
    }
    return failures.length > 0 ? failures : [{ index: -1, expr: '', error: output.trim() }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
