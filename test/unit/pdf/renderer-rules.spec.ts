import { expect } from 'chai';
import { isAllowedHost, redactToken } from '../../../src/adapters/pdf/page-setup.js';
import { qualityGate } from '../../../src/adapters/pdf/quality-gate.js';

describe('renderer rules', () => {
  it('allows only exact hosts of the allow-list', () => {
    const allowed = new Set(['127.0.0.1:3000', 'cdn.example.com']);
    expect(isAllowedHost('http://127.0.0.1:3000/x', allowed)).to.equal(true);
    expect(isAllowedHost('https://cdn.example.com/a.png', allowed)).to.equal(true);
    expect(isAllowedHost('https://cdn.example.com.evil.net/a.png', allowed)).to.equal(false);
    expect(isAllowedHost('https://evil.net/cdn.example.com/a.png', allowed)).to.equal(false);
    expect(isAllowedHost('http://127.0.0.1:3001/x', allowed)).to.equal(false);
    expect(isAllowedHost('file:///etc/passwd', allowed)).to.equal(false);
    expect(isAllowedHost('data:image/png;base64,AAAA', allowed)).to.equal(true);
  });

  it('redacts render tokens from URLs', () => {
    expect(redactToken('http://h/r?token=123.abc&x=1')).to.equal('http://h/r?token=[REDACTED]&x=1');
  });

  it('the quality gate passes only when every expected image loaded', () => {
    expect(() => qualityGate(2, { total: 2, loaded: 2, broken: [] })).to.not.throw();
    expect(() => qualityGate(3, { total: 2, loaded: 2, broken: [] })).to.throw(/2 of 3 images/);
    expect(() => qualityGate(2, { total: 2, loaded: 1, broken: ['http://h/p?token=1.a'] })).to.throw(
      /missing: http:\/\/h\/p\?token=\[REDACTED\]/,
    );
  });
});
