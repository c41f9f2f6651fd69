import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { agentPkiFiles, loadNodeCredentials, saveNodeCredentials, type NodeCredentials } from './agent_certs.js';
import { createCA, type CertificateAuthority } from './ca.js';
import { issueKubeletServingCert, issueNodeClientCert } from './node_certs.js';

const DAY = 24 * 60 * 60 * 1000;
const clock = new FakeClock(1_700_000_000_000);
let serverCA: CertificateAuthority;
let clientCA: CertificateAuthority;
let dir: string;

before(async () => {
  [serverCA, clientCA] = await Promise.all([createCA('server', clock), createCA('client', clock)]);
  dir = mkdtempSync(join(tmpdir(), 'skiff-agentpki-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function credentials(name: string, ip: string): Promise<NodeCredentials> {
  return {
    serverCaPem: serverCA.certPem,
    clientCaPem: clientCA.certPem,
    client: await issueNodeClientCert(clientCA, name, clock),
    serving: await issueKubeletServingCert(serverCA, name, [ip], clock),
  };
}

describe('saveNodeCredentials / loadNodeCredentials', () => {
  it('stores under <dataDir>/agent with key modes 0600 and reloads while the node, IP and CA match', async () => {
    const files = agentPkiFiles(join(dir, 'a'));
    assert.equal(files.clientCert, join(dir, 'a', 'agent', 'client-kubelet.crt'));
    const want = { nodeName: 'n1', nodeIP: '10.0.0.5', serverCaPem: serverCA.certPem, clock };
    assert.equal(await loadNodeCredentials(files, want), undefined);
    const creds = await credentials('n1', '10.0.0.5');
    await saveNodeCredentials(files, creds);
    assert.equal(statSync(files.clientKey).mode & 0o777, 0o600);
    assert.equal(statSync(files.servingKey).mode & 0o777, 0o600);
    assert.equal(statSync(files.clientCert).mode & 0o777, 0o644);
    assert.deepEqual(await loadNodeCredentials(files, want), creds);
  });

  const other = { nodeName: 'n1', nodeIP: '10.0.0.5', clock };
  const cases: [string, () => Promise<unknown>][] = [
    ['another node name', async () => loadNodeCredentials(agentPkiFiles(join(dir, 'a')), { ...other, nodeName: 'n2', serverCaPem: serverCA.certPem })],
    ['another node IP', async () => loadNodeCredentials(agentPkiFiles(join(dir, 'a')), { ...other, nodeIP: '10.0.0.6', serverCaPem: serverCA.certPem })],
    ['another server CA', async () => loadNodeCredentials(agentPkiFiles(join(dir, 'a')), { ...other, serverCaPem: clientCA.certPem })],
    ['expiry within the renewal window', async () => loadNodeCredentials(agentPkiFiles(join(dir, 'a')), { ...other, serverCaPem: serverCA.certPem, clock: new FakeClock(clock.now() + 300 * DAY) })],
  ];
  for (const [name, load] of cases) {
    it(`asks for a new join on ${name}`, async () => assert.equal(await load(), undefined));
  }

  it('asks for a new join when a file is missing or a key does not match', async () => {
    const files = agentPkiFiles(join(dir, 'b'));
    const want = { nodeName: 'n1', nodeIP: '10.0.0.5', serverCaPem: serverCA.certPem, clock };
    await saveNodeCredentials(files, await credentials('n1', '10.0.0.5'));
    writeFileSync(files.clientKey, (await issueNodeClientCert(clientCA, 'n1', clock)).keyPem);
    assert.equal(await loadNodeCredentials(files, want), undefined);
    rmSync(files.clientKey);
    assert.equal(await loadNodeCredentials(files, want), undefined);
  });
});
