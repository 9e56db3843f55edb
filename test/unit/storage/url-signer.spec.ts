import { expect } from 'chai';
import { UrlSigner } from '../../../src/adapters/storage/url-signer.js';

describe('UrlSigner', () => {
  let now: Date;
  const signer = () => new UrlSigner('unit-secret', () => now);
  const key = 'reports/r1/full.pdf';
  const expires = Date.parse('2026-03-01T10:05:00Z') / 1000;

  beforeEach(() => {
    now = new Date('2026-03-01T10:00:00Z');
  });

  it('signs as 64 hex characters, deterministically, and verifies its own signature before expiry', () => {
    const s = signer().sign(key, expires, 'a.pdf');
    expect(s).to.match(/^[0-9a-f]{64}$/);
    expect(signer().sign(key, expires, 'a.pdf')).to.equal(s);
    expect(signer().verify(key, String(expires), s, 'a.pdf')).to.equal('ok');
    expect(signer().verify(key, expires, signer().sign(key, expires), undefined)).to.equal('ok');
  });

  it('refuses a changed key, expiry or download name as invalid', () => {
    const s = signer().sign(key, expires, 'a.pdf');
    expect(signer().verify('reports/r2/full.pdf', expires, s, 'a.pdf')).to.equal('invalid');
    expect(signer().verify(key, expires + 3600, s, 'a.pdf')).to.equal('invalid');
    expect(signer().verify(key, expires, s, 'b.pdf')).to.equal('invalid');
    expect(signer().verify(key, expires, s, undefined), 'name removed').to.equal('invalid');
    expect(signer().verify(key, expires, signer().sign(key, expires), 'a.pdf'), 'name added').to.equal('invalid');
    // An empty name is not the same as no name.
    expect(signer().verify(key, expires, signer().sign(key, expires), '')).to.equal('invalid');
  });

  it('refuses a changed signature, one from another secret, and malformed values', () => {
    const s = signer().sign(key, expires);
    const flipped = `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;
    expect(signer().verify(key, expires, flipped)).to.equal('invalid');
    expect(signer().verify(key, expires, new UrlSigner('other-secret', () => now).sign(key, expires))).to.equal(
      'invalid',
    );
    for (const bad of [s.slice(1), s.toUpperCase(), `${s}00`, '', 'zz'.repeat(32)])
      expect(signer().verify(key, expires, bad), bad).to.equal('invalid');
    for (const bad of ['', '12abc', '-1', '1e9', ` ${expires}`])
      expect(signer().verify(key, bad, s), bad).to.equal('invalid');
  });

  it('reports expired from the expiry second on, and invalid (not expired) when also forged', () => {
    const s = signer().sign(key, expires);
    now = new Date((expires - 1) * 1000);
    expect(signer().verify(key, expires, s)).to.equal('ok');
    now = new Date(expires * 1000);
    expect(signer().verify(key, expires, s)).to.equal('expired');
    now = new Date((expires + 86_400) * 1000);
    expect(signer().verify(key, expires, s)).to.equal('expired');
    expect(signer().verify('reports/other.pdf', expires, s)).to.equal('invalid');
  });

  it('refuses an empty secret and reads time from the injected clock', () => {
    expect(() => new UrlSigner('', () => now)).to.throw(/secret/);
    expect(signer().nowSeconds()).to.equal(Date.parse('2026-03-01T10:00:00Z') / 1000);
  });
});
