import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildKubeconfig, parseFileMode, writeKubeconfig } from './kubeconfig.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const input = {
  server: 'https://127.0.0.1:6443',
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n'.repeat(20),
  clientKeyPem: '-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n',
};
const unb64 = (v: unknown): string => Buffer.from(String(v), 'base64').toString('utf8');

describe('buildKubeconfig', () => {
  it('round-trips through YAML in the k3s.yaml shape', () => {
    const doc = parse(buildKubeconfig(input)) as Record<string, unknown>;
    assert.equal(doc['apiVersion'], 'v1');
    assert.equal(doc['kind'], 'Config');
    assert.equal(doc['current-context'], 'default');
    assert.deepEqual(doc['preferences'], {});
    assert.deepEqual(doc['contexts'], [{ context: { cluster: 'default', user: 'default' }, name: 'default' }]);
    const [cluster] = doc['clusters'] as { name: string; cluster: Record<string, unknown> }[];
    assert.equal(cluster?.name, 'default');
    assert.equal(cluster?.cluster['server'], input.server);
    assert.equal(unb64(cluster?.cluster['certificate-authority-data']), input.caPem);
    const [user] = doc['users'] as { name: string; user: Record<string, unknown> }[];
    assert.equal(user?.name, 'default');
    assert.equal(unb64(user?.user['client-certificate-data']), input.clientCertPem);
    assert.equal(unb64(user?.user['client-key-data']), input.clientKeyPem);
  });

  it('names everything after name and never folds base64 lines', () => {
    const text = buildKubeconfig({ ...input, name: 'lab' });
    assert.match(text, /^current-context: lab$/m);
    assert.match(text, /^ {4}client-certificate-data: \S{1000,}$/m);
  });
});

describe('parseFileMode', () => {
  const cases: [string | number, number][] = [['0644', 0o644], ['600', 0o600], ['0o640', 0o640], [0o600, 0o600], ['0', 0]];
  for (const [input, want] of cases) it(`${String(input)} → ${want.toString(8)}`, () => assert.equal(parseFileMode(input), want));
  for (const bad of ['0999', 'rw-r--r--', '', '12345', -1])
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseFileMode(bad), /invalid file mode/));
});

describe('writeKubeconfig', () => {
  it('creates parent dirs, sets the exact mode, replaces atomically and leaves no temp files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'skiff-pki-kubeconfig-'));
    dirs.push(root);
    const path = join(root, 'etc', 'skiff', 'skiff.yaml');
    await writeKubeconfig(path, 'first\n', '0644');
    assert.equal((await stat(path)).mode & 0o777, 0o644);
    await writeKubeconfig(path, 'second\n', '0600');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'utf8'), 'second\n');
    await writeKubeconfig(path, 'third\n', 0o666);
    assert.equal((await stat(path)).mode & 0o777, 0o666, 'umask must not narrow the mode');
    assert.deepEqual(await readdir(join(root, 'etc', 'skiff')), ['skiff.yaml']);
  });
});
