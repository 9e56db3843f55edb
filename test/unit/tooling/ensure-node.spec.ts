import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * scripts/ensure-node.sh, run in a scratch copy of the project with a PATH of stand-ins: a `node` of a given
 * major, and an `npm` that serves `view` and `pack` from a local "registry" (a tarball shaped like the
 * node-<os>-<arch> packages, whose bin/node is a stand-in too) and logs every call. Only the tools the
 * script needs are on PATH, so the machine's own node and npm cannot leak in.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WANT = readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
const TOOLS = [
  'bash',
  'sh',
  'tar',
  'gzip',
  'mktemp',
  'dirname',
  'tr',
  'awk',
  'uname',
  'rm',
  'mv',
  'mkdir',
  'cat',
  'tail',
  'echo',
  'ls',
  'cp',
];

const platform = `${os.platform() === 'darwin' ? 'darwin' : 'linux'}-${os.arch() === 'arm64' ? 'arm64' : 'x64'}`;

function fakeNode(major: number): string {
  return `#!/bin/sh\nif [ "$1" = "-p" ]; then echo ${major}; exit 0; fi\nif [ "$1" = "--version" ]; then echo v${major}.0.0; exit 0; fi\nexit 0\n`;
}

interface Scene {
  dir: string;
  bin: string;
  log: string;
  run(): { status: number | null; stdout: string; stderr: string };
  npmCalls(): string[];
}

/** versions: what the fake registry publishes for node-<platform>. */
function scene(o: { systemNode?: number; npm?: boolean; versions?: string[] }): Scene {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ensure-node-'));
  const project = path.join(dir, 'project');
  mkdirSync(path.join(project, 'scripts'), { recursive: true });
  copyFileSync(path.join(ROOT, 'scripts/ensure-node.sh'), path.join(project, 'scripts/ensure-node.sh'));
  writeFileSync(path.join(project, '.nvmrc'), `${WANT}\n`);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  for (const t of TOOLS) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, t)).find((p) => existsSync(p));
    if (found) symlinkSync(found, path.join(bin, t));
  }
  if (o.systemNode !== undefined) writeFileSync(path.join(bin, 'node'), fakeNode(o.systemNode), { mode: 0o755 });
  const log = path.join(dir, 'npm.log');
  writeFileSync(log, '');
  if (o.npm !== false) {
    // The "registry": one tarball per published version, package/bin/node printing major 24.
    const registry = path.join(dir, 'registry');
    for (const v of o.versions ?? [WANT]) {
      const pkg = path.join(registry, v, 'package', 'bin');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(path.join(pkg, 'node'), fakeNode(Number(v.split('.')[0])), { mode: 0o755 });
      spawnSync('tar', [
        '-czf',
        path.join(registry, `node-${platform}-${v}.tgz`),
        '-C',
        path.join(registry, v),
        'package',
      ]);
    }
    const versions = (o.versions ?? [WANT]).join(' ');
    writeFileSync(
      path.join(bin, 'npm'),
      `#!/bin/bash
echo "$*" >> ${log}
if [ "$1" = view ]; then
  spec="$2"; v="\${spec##*@}"
  if [ "$v" = "^24" ]; then for x in ${versions}; do echo "node-${platform}@$x '$x'"; done; exit 0; fi
  for x in ${versions}; do [ "$x" = "$v" ] && { echo "$v"; exit 0; }; done
  echo "npm error 404 No match found for version $v" >&2; exit 1
fi
if [ "$1" = pack ]; then
  spec="$3"; v="\${spec##*@}"
  [ -f ${registry}/node-${platform}-$v.tgz ] || exit 1
  cp ${registry}/node-${platform}-$v.tgz . && echo node-${platform}-$v.tgz; exit 0
fi
exit 1
`,
      { mode: 0o755 },
    );
  }
  chmodSync(path.join(project, 'scripts/ensure-node.sh'), 0o755);
  return {
    dir: project,
    bin,
    log,
    run: () => {
      const r = spawnSync('bash', [path.join(project, 'scripts/ensure-node.sh')], {
        env: { PATH: bin, HOME: dir },
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
    },
    npmCalls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

describe('scripts/ensure-node.sh (Node 24 for every make target)', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(path.dirname(d), { recursive: true, force: true });
  });
  const make = (o: Parameters<typeof scene>[0]) => {
    const s = scene(o);
    made.push(s.dir);
    return s;
  };

  it('uses the system node when its major is 24 or more, and asks the registry nothing', () => {
    const s = make({ systemNode: 26 });
    const r = s.run();
    expect(r).to.include({ status: 0, stdout: s.bin });
    expect(s.npmCalls()).to.deep.equal([]);
  });

  it('with an older system node, fetches node-<os>-<arch>@<.nvmrc> into .tools once, then reuses it', () => {
    const s = make({ systemNode: 20 });
    const first = s.run();
    const dest = path.join(s.dir, '.tools', `node-${WANT}-${platform}`, 'bin');
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stdout).to.equal(dest);
    expect(first.stderr).to.include(`fetching node-${platform}@${WANT} from the npm registry`);
    expect(existsSync(path.join(dest, 'node'))).to.equal(true);
    const callsAfterFirst = s.npmCalls();
    expect(callsAfterFirst.some((c) => c.startsWith('pack'))).to.equal(true);

    const second = s.run();
    expect(second).to.include({ status: 0, stdout: dest });
    expect(s.npmCalls(), 'no registry call the second time').to.deep.equal(callsAfterFirst);
    expect(readdirSync(path.join(s.dir, '.tools')), 'no scratch folder left behind').to.deep.equal([
      `node-${WANT}-${platform}`,
    ]);
  });

  it('without any system node it fetches too', () => {
    const s = make({});
    const r = s.run();
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(path.join(s.dir, '.tools', `node-${WANT}-${platform}`, 'bin'));
  });

  it('takes the newest 24.x the registry has when the platform lacks the exact version', () => {
    const s = make({ systemNode: 20, versions: ['24.1.0', '24.18.1'] });
    const r = s.run();
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(path.join(s.dir, '.tools', `node-24.18.1-${platform}`, 'bin'));
  });

  it('says in one line what to install when there is no npm to fetch with, and exits 1', () => {
    const s = make({ systemNode: 20, npm: false });
    const r = s.run();
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(
      /^Node\.js 24 is required: no npm to fetch it with; install Node\.js 24 \(https:\/\/nodejs\.org\//,
    );
    expect(r.stderr.split('\n')).to.have.length(1);
  });

  it('says what to install when the registry has no build of major 24 for the platform', () => {
    const s = make({ systemNode: 20, versions: [] });
    const r = s.run();
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include(`the npm registry has no node-${platform}@24`);
    expect(
      existsSync(path.join(s.dir, '.tools')) ? readdirSync(path.join(s.dir, '.tools')) : [],
      'no half-unpacked copy left',
    ).to.deep.equal([]);
  });
});
