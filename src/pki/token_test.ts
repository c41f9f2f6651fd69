import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { createCA } from './ca.js';
import { caBundleHash, ensureServerToken, formatToken, parseToken, verifyCAHash, type ParsedToken } from './token.js';
import { x509 } from './x509.js';

const H = 'ab'.repeat(32);
let caPem = '';
let otherCaPem = '';
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'skiff-pki-token-'));
  dirs.push(d);
  return d;
}
before(async () => {
  caPem = (await createCA('server', new FakeClock())).certPem;
  otherCaPem = (await createCA('server', new FakeClock())).certPem;
});
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('parseToken', () => {
  const ok: [string, ParsedToken][] = [
    [`K10${H}::server:s3cret`, { caHash: H, username: 'server', password: 's3cret' }],
    [`K10${H.toUpperCase()}::node:a:b`, { caHash: H, username: 'node', password: 'a:b' }],
    [`K10${H}::bare`, { caHash: H, username: 'server', password: 'bare' }],
    ['s3cret', { username: 'server', password: 's3cret' }],
    ['  s3cret\n', { username: 'server', password: 's3cret' }],
    ['K10plain', { username: 'server', password: 'K10plain' }],
  ];
  for (const [input, want] of ok) it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseToken(input), want));
  const bad: [string, RegExp][] = [
    ['', /empty/],
    [`K10${H}::server:`, /invalid token format/],
    ['K10nothex::server:x', /CA hash/],
    [':x', /invalid token format/],
  ];
  for (const [input, want] of bad) it(`rejects ${JSON.stringify(input)}`, () => assert.throws(() => parseToken(input), want));
});

describe('caBundleHash / verifyCAHash', () => {
  it('hashes the PEM bytes, and verifies tokens against the bundle', () => {
    assert.equal(caBundleHash(caPem), createHash('sha256').update(caPem).digest('hex'));
    const token = formatToken(caPem, 'pw');
    assert.match(token, /^K10[0-9a-f]{64}::server:pw$/);
    assert.equal(verifyCAHash(caPem, token), true);
    assert.equal(verifyCAHash(otherCaPem, token), false);
    assert.equal(verifyCAHash(caPem, 'pw'), false);
  });

  it('also accepts the DER fingerprint of the root certificate (custom CAs)', () => {
    const der = Buffer.from(new x509.X509Certificate(caPem).rawData);
    const token = `K10${createHash('sha256').update(der).digest('hex')}::server:pw`;
    assert.equal(verifyCAHash(caPem, token), true);
  });
});

describe('ensureServerToken', () => {
  it('generates a random secret once, writes both files 0600 and reuses them', async () => {
    const dataDir = await tempDir();
    const token = await ensureServerToken(dataDir, caPem);
    assert.match(token, /^K10[0-9a-f]{64}::server:[0-9a-f]{32}$/);
    for (const f of ['token', 'node-token']) {
      const p = join(dataDir, 'server', f);
      assert.equal(await readFile(p, 'utf8'), token + '\n');
      assert.equal((await stat(p)).mode & 0o777, 0o600);
    }
    assert.equal(await ensureServerToken(dataDir, caPem), token);
    assert.notEqual(await ensureServerToken(await tempDir(), caPem), token);
  });

  it('uses an explicit bare secret or the secret of a matching full token', async () => {
    assert.equal(await ensureServerToken(await tempDir(), caPem, 'mysecret'), formatToken(caPem, 'mysecret'));
    const full = formatToken(caPem, 'other');
    assert.equal(await ensureServerToken(await tempDir(), caPem, full), full);
  });

  it('refuses a full token whose CA hash belongs to another cluster', async () => {
    const foreign = formatToken(otherCaPem, 'x');
    await assert.rejects(ensureServerToken(await tempDir(), caPem, foreign), /does not match this server's CA/);
  });

  it('keeps the stored secret and refreshes the hash when the CA bundle changes', async () => {
    const dataDir = await tempDir();
    const token = await ensureServerToken(dataDir, caPem);
    const again = await ensureServerToken(dataDir, otherCaPem);
    assert.equal(parseToken(again).password, parseToken(token).password);
    assert.equal(verifyCAHash(otherCaPem, again), true);
  });
});
