/**
 * `npm audit --omit=dev --audit-level=high` for CI (scripts/audit.sh runs it): exits 1 naming each high or
 * critical advisory in the production dependencies. When the registry's audit service cannot be asked (some
 * mirrors answer 405), it says so loudly and exits 0, or 1 with AUDIT_REQUIRED=1.
 */
import { spawnSync } from 'node:child_process';
import { summarizeAudit, type Severity } from './lib/audit-report.js';

const level = (process.env.AUDIT_LEVEL ?? 'high') as Severity;
const run = spawnSync('npm', ['audit', '--omit=dev', `--audit-level=${level}`, '--json'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const outcome = summarizeAudit(run.stdout ?? '', level);
switch (outcome.kind) {
  case 'clean':
    console.log(
      `npm audit: no ${level} or critical advisory in the production dependencies (${outcome.below} below ${level})`,
    );
    process.exit(0);
    break;
  case 'findings':
    console.log(
      `npm audit: ${outcome.findings.length} advisories at ${level} or above in the production dependencies:`,
    );
    for (const f of outcome.findings)
      console.log(`  ${f.severity.toUpperCase()} ${f.module} ${f.range}: ${f.advisory} ${f.url}`);
    process.exit(1);
    break;
  case 'unavailable':
    console.log(`npm audit: NOT CHECKED: the registry's audit service could not be asked (${outcome.reason})`);
    process.exit(process.env.AUDIT_REQUIRED === '1' ? 1 : 0);
}
