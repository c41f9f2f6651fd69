// Secrets encryption at rest as a k3s user meets it: `skiff server --secrets-encryption`, a Secret
// created with kubectl that the database file (and its WAL) holds only encrypted while kubectl
// reads it back, `skiff secrets-encrypt status` and `rotate-keys` against the running server, and
// restarts (with the flag, and without it: the configuration stays once made).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, startServer, kubectlOk, type TestServer } from './harness.js';

const SKIFF = join(REPO, 'bin', 'skiff');
const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  const dir = servers[0]?.dir;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(extra: string[], dir?: string): Promise<TestServer> {
  const s = await startServer(extra, dir);
  servers.push(s);
  return s;
}

/** secretsEncrypt runs `skiff secrets-encrypt ...` against server (bounded). */
function secretsEncrypt(server: TestServer, args: string[], token?: string): { code: number; stdout: string; stderr: string } {
  const flags = ['--data-dir', join(server.dir, 'data'), '--server', `https://127.0.0.1:${server.port}`, ...(token ? ['--token', token] : [])];
  const r = spawnSync(process.execPath, [SKIFF, 'secrets-encrypt', ...args, ...flags], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** databaseBytes is the SQLite database file and its WAL, as any reader of the disk sees them. */
function databaseBytes(server: TestServer): Buffer {
  const db = join(server.dir, 'data', 'server', 'db', 'state.db');
  return Buffer.concat([db, `${db}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}

function assertNotOnDisk(server: TestServer, value: string): void {
  const bytes = databaseBytes(server);
  assert.ok(!bytes.includes(value), 'the value is not in the database or its WAL');
  assert.ok(!bytes.includes(Buffer.from(value).toString('base64')), 'nor its base64');
}

function secretValue(server: TestServer, name: string): string {
  const yaml = kubectlOk('kubectl', server.kubeconfig, ['get', 'secret', name, '-o', 'yaml']);
  const m = /^\s+password: (\S+)$/m.exec(yaml);
  return Buffer.from(m?.[1] ?? '', 'base64').toString('utf8');
}

test('--secrets-encryption: Secrets are encrypted on disk, readable through the API, across rotate-keys and restarts', async () => {
  let server = await start(['--secrets-encryption']);
  const dir = server.dir;
  const cred = join(dir, 'data', 'server', 'cred');
  const configPath = join(cred, 'encryption-config.json');
  assert.equal(statSync(configPath).mode & 0o777, 0o600);
  assert.equal(statSync(cred).mode & 0o777, 0o700);
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { kind: string; apiVersion: string; resources: { resources: string[]; providers: Record<string, unknown>[] }[] };
  assert.deepEqual([config.kind, config.apiVersion], ['EncryptionConfiguration', 'apiserver.config.k8s.io/v1']);
  assert.deepEqual(config.resources[0]?.resources, ['secrets']);
  assert.deepEqual(config.resources[0]?.providers.map((p) => Object.keys(p)[0]), ['aescbc', 'identity']);

  const value = `skiff-e2e-${randomBytes(12).toString('hex')}`;
  kubectlOk('kubectl', server.kubeconfig, ['create', 'secret', 'generic', 'db-pass', `--from-literal=password=${value}`]);
  assertNotOnDisk(server, value);
  assert.ok(databaseBytes(server).includes('k8s:enc:aescbc:v1:aescbckey:'), 'stored with upstream\'s prefix and the key name');
  assert.equal(secretValue(server, 'db-pass'), value);

  let status = secretsEncrypt(server, ['status']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^Encryption Status: Enabled\nCurrent Rotation Stage: start\nServer Encryption Hashes: All hashes match\n\nActive {2}Key Type {2}Name\n------ {2}-------- {2}----\n \* {6}AES-CBC {3}aescbckey\n/);

  // The server token is the credential: another secret is refused.
  const token = readFileSync(join(dir, 'data', 'server', 'token'), 'utf8').trim();
  const wrong = secretsEncrypt(server, ['status'], token.replace(/:[^:]+$/, ':not-the-secret'));
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /refused \(401\)/);

  const rotate = secretsEncrypt(server, ['rotate-keys']);
  assert.equal(rotate.code, 0, rotate.stderr);
  assert.match(rotate.stdout, /keys rotated, reencryption started/);
  assert.match(rotate.stdout, /reencryption finished/);
  status = secretsEncrypt(server, ['status']);
  assert.match(status.stdout, /Current Rotation Stage: reencrypt_finished/);
  const active = /^ \* +AES-CBC +(\S+)$/m.exec(status.stdout)?.[1] ?? '';
  assert.match(active, /^aescbckey-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(!/ aescbckey$/m.test(status.stdout), 'the old key was removed after the reencryption');
  assert.ok(databaseBytes(server).includes(`k8s:enc:aescbc:v1:${active}:`), 'rewritten under the new key');
  assert.equal(secretValue(server, 'db-pass'), value);
  assertNotOnDisk(server, value);

  // A restart with the flag reads the Secret with the rotated key.
  await server.stop();
  server = await start(['--secrets-encryption'], dir);
  assert.equal(secretValue(server, 'db-pass'), value);

  // Without the flag the configuration stays in use: old Secrets read, new ones are encrypted.
  await server.stop();
  server = await start([], dir);
  assert.equal(secretValue(server, 'db-pass'), value);
  const later = `skiff-e2e-${randomBytes(12).toString('hex')}`;
  kubectlOk('kubectl', server.kubeconfig, ['create', 'secret', 'generic', 'later', `--from-literal=password=${later}`]);
  assertNotOnDisk(server, later);
  assert.equal(secretValue(server, 'later'), later);
  status = secretsEncrypt(server, ['status']);
  assert.match(status.stdout, /^Encryption Status: Enabled$/m);
});
