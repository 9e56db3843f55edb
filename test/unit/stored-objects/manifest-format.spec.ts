import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { boundedLines, openObjectManifest } from '../../../src/adapters/cli/object-manifest-file.js';
import {
  formatManifestEntry,
  ManifestFormatError,
  MAX_MANIFEST_LINE,
  parseManifestEntry,
  parseManifestHeader,
  type ManifestEntry,
} from '../../../src/application/stored-objects/manifest-format.js';

const entry: ManifestEntry = {
  kind: 'report-pdf',
  id: '0b6c4d5e-7f80-4a1b-9c2d-3e4f5a6b7c8d/no-docs',
  driver: 'fs',
  key: 'reports/0b6c4d5e-7f80-4a1b-9c2d-3e4f5a6b7c8d/YOG-1-no-docs.pdf',
  size: 2007,
  sha256: 'ab'.repeat(32),
  contentType: 'application/pdf',
};
const header = { manifest: 'car-dano-objects', version: 1, createdAt: '2026-12-03T10:00:00.000Z', counts: {} };

/** The ManifestFormatError message `f` throws (fails when it does not throw one). */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(ManifestFormatError);
    return (e as Error).message;
  }
  return expect.fail('expected a ManifestFormatError');
}

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('object manifest format: parsing refuses what is not a manifest', () => {
  it('an entry round-trips through its line; a rendition without size or hash is accepted', () => {
    expect(parseManifestEntry(formatManifestEntry(entry), 2)).to.deep.equal(entry);
    const old = { ...entry, kind: 'rendition' as const, id: '0b6c4d5e-7f80-4a1b-9c2d-3e4f5a6b7c8d', size: null };
    expect(parseManifestEntry(formatManifestEntry({ ...old, sha256: null }), 3)).to.deep.equal({
      ...old,
      sha256: null,
    });
  });

  it('each field is type-checked, naming the line and the field', () => {
    const bad = (over: Record<string, unknown>) =>
      refusal(() => parseManifestEntry(JSON.stringify({ ...entry, ...over }), 7));
    expect(bad({ kind: 'thumbnail' })).to.match(/^line 7: kind is not one of inspection-photo/);
    expect(bad({ id: '' })).to.equal('line 7: id is not a row id');
    expect(bad({ id: 'a/b/c' })).to.equal('line 7: id is not a row id');
    expect(bad({ driver: 'S3!' })).to.equal('line 7: driver is not a storage driver name');
    expect(bad({ key: '../etc/passwd' })).to.equal('line 7: key is not a valid object key');
    expect(bad({ key: '/abs/path' })).to.equal('line 7: key is not a valid object key');
    expect(bad({ key: 'reports/./x.pdf' })).to.equal('line 7: key is not a valid object key');
    expect(bad({ key: 7 })).to.equal('line 7: key is not a valid object key');
    expect(bad({ size: -1 })).to.equal('line 7: size is not a byte count');
    expect(bad({ size: 1.5 })).to.equal('line 7: size is not a byte count');
    expect(bad({ size: '12' })).to.equal('line 7: size is not a byte count');
    expect(bad({ sha256: 'AB'.repeat(32) })).to.equal('line 7: sha256 is not a lowercase hex SHA-256');
    expect(bad({ sha256: 'ab' })).to.equal('line 7: sha256 is not a lowercase hex SHA-256');
    expect(bad({ contentType: 'pdf' })).to.equal('line 7: contentType is not a media type');
    expect(bad({ extra: 1 })).to.equal('line 7: unknown field "extra"');
    expect(refusal(() => parseManifestEntry('{"__proto__":{"x":1}}', 4))).to.equal('line 4: unknown field "__proto__"');
    const { sha256: _s, ...noSha } = entry;
    expect(refusal(() => parseManifestEntry(JSON.stringify(noSha), 5))).to.equal('line 5: sha256 is missing');
  });

  it('a line that is not a JSON object, or too long, is refused', () => {
    expect(refusal(() => parseManifestEntry('{"kind":', 3))).to.equal('line 3: not JSON');
    expect(refusal(() => parseManifestEntry('[1,2]', 3))).to.equal('line 3: not a JSON object');
    expect(refusal(() => parseManifestEntry('null', 3))).to.equal('line 3: not a JSON object');
    const long = JSON.stringify({ ...entry, key: 'a'.repeat(MAX_MANIFEST_LINE) });
    expect(refusal(() => parseManifestEntry(long, 9))).to.equal(`line 9: longer than ${MAX_MANIFEST_LINE}`);
  });

  it('the header must name the manifest and a version this code reads', () => {
    expect(parseManifestHeader(JSON.stringify({ ...header, counts: { rendition: 2 } }))).to.deep.equal({
      ...header,
      counts: { rendition: 2 },
    });
    const bad = (over: Record<string, unknown>) =>
      refusal(() => parseManifestHeader(JSON.stringify({ ...header, ...over })));
    expect(bad({ manifest: 'something-else' })).to.match(/^line 1: not a car-dano-objects manifest/);
    expect(bad({ version: 2 })).to.equal('line 1: manifest version 2 is not supported (this version reads 1)');
    expect(bad({ version: '1' })).to.equal('line 1: manifest version "1" is not supported (this version reads 1)');
    expect(bad({ createdAt: 'yesterday' })).to.equal('line 1: createdAt is not a date');
    expect(bad({ counts: { thumbnail: 1 } })).to.equal('line 1: counts must map kinds to non-negative integers');
    expect(bad({ counts: { rendition: -1 } })).to.equal('line 1: counts must map kinds to non-negative integers');
    expect(refusal(() => parseManifestHeader(formatManifestEntry(entry)))).to.match(/not a car-dano-objects manifest/);
  });
});

describe('object manifest file: bounded line reading', () => {
  it('splits lines across chunk borders; a final newline makes no empty line', async () => {
    expect(await collect(boundedLines(chunks('ab', 'c\nde', 'f\n\ng', 'h\n'), 10))).to.deep.equal([
      'abc',
      'def',
      '',
      'gh',
    ]);
    expect(await collect(boundedLines(chunks('x\ny'), 10))).to.deep.equal(['x', 'y']);
  });

  it('refuses a line over the bound before holding the rest of it (a file without newlines)', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1000, 0x61);
      }
    }
    let error: unknown;
    await collect(boundedLines(endless(), 4096)).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ManifestFormatError);
    expect((error as Error).message).to.equal('line 1: longer than 4096 bytes');
    expect(pulled, 'stops at the bound').to.equal(5);
    error = undefined;
    await collect(boundedLines(chunks('ok\n', 'a'.repeat(11), '\n'), 10)).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('line 2: longer than 10 bytes');
  });
});

describe('object manifest file: opening one', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'manifest-unit-'))));
  after(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, text: string) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };

  it('reads the header and the entries; refuses an empty file, another header, a bad line, a truncated file', async () => {
    const line = formatManifestEntry(entry);
    const good = await file(
      'good.jsonl',
      `${JSON.stringify({ ...header, counts: { 'report-pdf': 2 } })}\n${line}\n${line}\n`,
    );
    const m = await openObjectManifest(good);
    expect(m.header.counts).to.deep.equal({ 'report-pdf': 2 });
    expect(await collect(m.entries)).to.deep.equal([entry, entry]);

    const refused = async (text: string) => {
      const f = await file(`bad-${Math.random()}.jsonl`, text);
      try {
        await collect((await openObjectManifest(f)).entries);
      } catch (e) {
        expect(e).to.be.instanceOf(ManifestFormatError);
        return (e as Error).message;
      }
      return expect.fail('expected a ManifestFormatError');
    };
    expect(await refused('')).to.match(/is empty, not a car-dano-objects manifest$/);
    expect(await refused('{"manifest":"car-dano-objects","version":9}\n')).to.contain('version 9 is not supported');
    expect(await refused('PGDMP\u0000\u0001binary')).to.equal('line 1 (header): not JSON');
    const head = JSON.stringify({ ...header, counts: { 'report-pdf': 2 } });
    expect(await refused(`${head}\n${line}\n{"kind":"rendition"}\n`)).to.equal('line 3: id is missing');
    expect(await refused(`${head}\n${line}\n`)).to.equal(
      'the header counts 2 report-pdf entries, the file has 1 (truncated or edited)',
    );
  });
});
