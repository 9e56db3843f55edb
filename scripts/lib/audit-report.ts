/**
 * Reads `npm audit --json` output and decides what CI does with it: findings at or above the threshold fail
 * the run and are listed by advisory name; an audit that could not be run (the registry's audit endpoint
 * refused or was unreachable) is reported as such, never as clean.
 */
export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';
const ORDER: Severity[] = ['info', 'low', 'moderate', 'high', 'critical'];

export interface AuditFinding {
  advisory: string;
  module: string;
  severity: Severity;
  range: string;
  url: string;
}

export type AuditOutcome =
  | { kind: 'clean'; below: number }
  | { kind: 'findings'; findings: AuditFinding[] }
  | { kind: 'unavailable'; reason: string };

interface ViaAdvisory {
  title?: string;
  name?: string;
  severity?: Severity;
  range?: string;
  url?: string;
}
interface Vulnerability {
  name?: string;
  severity?: Severity;
  via?: Array<string | ViaAdvisory>;
}
interface AuditJson {
  error?: { code?: string; summary?: string; detail?: string };
  /** What npm prints instead when the audit endpoint answered with an HTTP error. */
  message?: string;
  statusCode?: number;
  vulnerabilities?: Record<string, Vulnerability>;
}

export function atLeast(severity: Severity | undefined, threshold: Severity): boolean {
  return severity !== undefined && ORDER.indexOf(severity) >= ORDER.indexOf(threshold);
}

export function summarizeAudit(raw: string, threshold: Severity): AuditOutcome {
  let json: AuditJson;
  try {
    json = JSON.parse(raw) as AuditJson;
  } catch {
    return { kind: 'unavailable', reason: `npm audit printed no JSON: ${raw.trim().slice(0, 200) || '(nothing)'}` };
  }
  if (json.error || (json.statusCode !== undefined && !json.vulnerabilities)) {
    const e = json.error ?? {};
    const reason = [json.message, e.code, e.summary, e.detail]
      .filter(Boolean)
      .join(': ')
      .replace(/\s+/g, ' ')
      .slice(0, 400);
    return { kind: 'unavailable', reason: reason || 'npm audit failed without saying why' };
  }
  if (!json.vulnerabilities)
    return { kind: 'unavailable', reason: 'npm audit answered without a vulnerabilities section' };
  const findings = new Map<string, AuditFinding>();
  let below = 0;
  for (const [name, v] of Object.entries(json.vulnerabilities)) {
    for (const via of v.via ?? []) {
      // A string names another vulnerable package; its own advisories are listed under that package.
      if (typeof via === 'string') continue;
      if (!atLeast(via.severity, threshold)) {
        below++;
        continue;
      }
      const finding: AuditFinding = {
        advisory: via.title ?? 'untitled advisory',
        module: via.name ?? v.name ?? name,
        severity: via.severity as Severity,
        range: via.range ?? '?',
        url: via.url ?? '',
      };
      findings.set(`${finding.url}|${finding.module}`, finding);
    }
  }
  if (findings.size === 0) return { kind: 'clean', below };
  return {
    kind: 'findings',
    findings: [...findings.values()].sort(
      (a, b) => ORDER.indexOf(b.severity) - ORDER.indexOf(a.severity) || a.module.localeCompare(b.module),
    ),
  };
}
