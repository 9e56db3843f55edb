import { expect } from 'chai';
import { summarizeAudit } from '../../../scripts/lib/audit-report.js';

/** The shape `npm audit --json` prints (auditReportVersion 2), trimmed to what the summary reads. */
function report(vulnerabilities: Record<string, unknown>): string {
  return JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: {} } });
}

const highAdvisory = {
  source: 1096366,
  name: 'path-to-regexp',
  dependency: 'path-to-regexp',
  title: 'path-to-regexp outputs backtracking regular expressions',
  url: 'https://github.com/advisories/GHSA-9wv6-86v2-598j',
  severity: 'high',
  range: '<0.1.10',
};

describe('npm audit summary (CI supply-chain gate)', () => {
  it('fails on a high advisory and names it, its package, range and link', () => {
    const out = summarizeAudit(
      report({
        'path-to-regexp': { name: 'path-to-regexp', severity: 'high', via: [highAdvisory] },
        express: { name: 'express', severity: 'high', via: ['path-to-regexp'] },
      }),
      'high',
    );
    expect(out).to.deep.equal({
      kind: 'findings',
      findings: [
        {
          advisory: highAdvisory.title,
          module: 'path-to-regexp',
          severity: 'high',
          range: '<0.1.10',
          url: highAdvisory.url,
        },
      ],
    });
  });

  it('lists critical findings before high ones and counts each advisory once', () => {
    const critical = {
      ...highAdvisory,
      name: 'form-data',
      title: 'unsafe random boundary',
      url: 'https://github.com/advisories/GHSA-fjxv-7rqg-78g4',
      severity: 'critical',
      range: '<4.0.4',
    };
    const out = summarizeAudit(
      report({
        'path-to-regexp': { severity: 'high', via: [highAdvisory, highAdvisory] },
        'form-data': { severity: 'critical', via: [critical] },
      }),
      'high',
    );
    expect(out.kind).to.equal('findings');
    if (out.kind !== 'findings') return;
    expect(out.findings.map((f) => [f.severity, f.module])).to.deep.equal([
      ['critical', 'form-data'],
      ['high', 'path-to-regexp'],
    ]);
  });

  it('passes when only advisories below the threshold exist, and counts them', () => {
    const moderate = { ...highAdvisory, severity: 'moderate' };
    expect(
      summarizeAudit(report({ 'path-to-regexp': { severity: 'moderate', via: [moderate] } }), 'high'),
    ).to.deep.equal({ kind: 'clean', below: 1 });
    expect(summarizeAudit(report({}), 'high')).to.deep.equal({ kind: 'clean', below: 0 });
  });

  it('a moderate advisory fails when the threshold is moderate', () => {
    const moderate = { ...highAdvisory, severity: 'moderate' };
    expect(
      summarizeAudit(report({ 'path-to-regexp': { severity: 'moderate', via: [moderate] } }), 'moderate').kind,
    ).to.equal('findings');
  });

  it('an audit service that refused is reported as not checked, never as clean', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    });
    expect(summarizeAudit(refused, 'high')).to.deep.equal({
      kind: 'unavailable',
      reason: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
    });
    expect(
      summarizeAudit(
        JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' } }),
        'high',
      ),
    ).to.deep.equal({ kind: 'unavailable', reason: 'ENOLOCK: This command requires an existing lockfile.' });
    expect(summarizeAudit('', 'high').kind).to.equal('unavailable');
  });
});
