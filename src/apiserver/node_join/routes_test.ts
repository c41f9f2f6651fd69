import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { errors } from '../../api/errors.js';
import { str } from '../../api/object.js';
import type { ApiRequest, Transport } from '../../api/transport.js';
import { FakeClock } from '../../lib/clock.js';
import { createLogger } from '../../lib/log.js';
import { createCA, splitCertAndKey, x509, type CertificateAuthority } from '../../pki/index.js';
import { CLIENT_CA_PATH, CLIENT_KUBELET_PATH, SERVING_KUBELET_PATH, nodeJoinRoutes, nodePasswordRejected } from './index.js';

const SECRET = 'tokensecret';

/** FakeSecrets is an in-memory Transport serving get and create of Secrets. */
class FakeSecrets implements Transport {
  readonly objects = new Map<string, Record<string, unknown>>();
  async request(req: ApiRequest): Promise<unknown> {
    const q = { group: '', resource: 'secrets' };
    if (req.verb === 'get') {
      const o = this.objects.get(req.name ?? '');
      if (!o) throw errors.notFound(q, req.name ?? '');
      return structuredClone(o);
    }
    if (req.verb === 'create') {
      const body = req.body as Record<string, unknown>;
      const name = str(body, 'metadata', 'name') ?? '';
      if (this.objects.has(name)) throw errors.alreadyExists(q, name);
      this.objects.set(name, body);
      return body;
    }
    throw new Error(`unexpected ${req.verb}`);
  }
  watch(): Promise<() => void> {
    throw new Error('not used');
  }
}

interface Answer {
  status: number;
  body: string;
}

const clock = new FakeClock(1_700_000_000_000);
const secrets = new FakeSecrets();
let server: Server;
let clientCA: CertificateAuthority;
let serverCA: CertificateAuthority;

before(async () => {
  [serverCA, clientCA] = await Promise.all([createCA('server', clock), createCA('client', clock)]);
  const routes = nodeJoinRoutes({ transport: secrets, tokenSecret: SECRET, serverCA, clientCA, clock, logger: createLogger({ level: 'error' }) });
  server = createServer((req, res) => {
    void routes(req, res, new URL(req.url ?? '/', 'http://x').pathname).then((done) => {
      if (!done) res.writeHead(418).end('not mine');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
after(() => new Promise<void>((r) => server.close(() => r())));

function call(path: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  const port = (server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const node = (name: string, password: string, ip = '10.0.0.9'): Record<string, string> => ({
  Authorization: basic('node', SECRET),
  'Skiff-Node-Name': name,
  'Skiff-Node-Password': password,
  'Skiff-Node-IP': ip,
});

describe('nodeJoinRoutes', () => {
  it('leaves other paths alone', async () => {
    assert.equal((await call('/api/v1/nodes', {})).status, 418);
  });

  const refusals: [string, string, Record<string, string>, number, RegExp][] = [
    ['no credentials', CLIENT_KUBELET_PATH, {}, 401, /node token/],
    ['a wrong secret', CLIENT_KUBELET_PATH, { ...node('a', 'p'), Authorization: basic('node', 'nope') }, 401, /node token/],
    ['a bearer token', CLIENT_KUBELET_PATH, { ...node('a', 'p'), Authorization: `Bearer ${SECRET}` }, 401, /node token/],
    ['an unknown user', SERVING_KUBELET_PATH, { ...node('a', 'p'), Authorization: basic('admin', SECRET) }, 401, /node token/],
    ['no node name', CLIENT_KUBELET_PATH, { Authorization: basic('node', SECRET), 'Skiff-Node-Password': 'p' }, 400, /Skiff-Node-Name/],
    ['a bad node name', CLIENT_KUBELET_PATH, node('Bad_Name', 'p'), 400, /invalid node name/],
    ['no password', CLIENT_KUBELET_PATH, { Authorization: basic('node', SECRET), 'Skiff-Node-Name': 'a' }, 400, /Skiff-Node-Password/],
    ['a bad IP', SERVING_KUBELET_PATH, node('a', 'p', '10.0.0.300'), 400, /Skiff-Node-IP/],
    ['the CA without a token', CLIENT_CA_PATH, {}, 401, /node token/],
  ];
  for (const [name, path, headers, code, message] of refusals) {
    it(`refuses ${name} with ${code}`, async () => {
      const a = await call(path, headers);
      assert.equal(a.status, code, a.body);
      assert.match(JSON.parse(a.body).message, message);
    });
  }

  it('issues certs to a new node, stores only a hash, and refuses another password for that name', async () => {
    const first = await call(CLIENT_KUBELET_PATH, node('worker-1', 'pw-1'), 'POST');
    assert.equal(first.status, 200, first.body);
    const { certPem, keyPem } = splitCertAndKey(first.body);
    assert.match(keyPem, /PRIVATE KEY/);
    assert.equal(new x509.X509Certificate(certPem).subject, 'O=system:nodes, CN=system:node:worker-1');
    const stored = secrets.objects.get('worker-1.node-password.skiff');
    const hash = Buffer.from(str(stored, 'data', 'hash') ?? '', 'base64').toString();
    assert.match(hash, /^\$scrypt\$/);
    assert.equal(str(stored, 'metadata', 'namespace'), 'kube-system');
    const serving = await call(SERVING_KUBELET_PATH, node('worker-1', 'pw-1'));
    assert.equal(serving.status, 200, serving.body);
    assert.equal(new x509.X509Certificate(splitCertAndKey(serving.body).certPem).issuer, serverCA.certificate.subject);
    const other = await call(CLIENT_KUBELET_PATH, node('worker-1', 'pw-2'));
    assert.equal(other.status, 403);
    assert.equal(JSON.parse(other.body).message, nodePasswordRejected('worker-1'));
    assert.match(nodePasswordRejected('worker-1'), /delete the Secret kube-system\/worker-1\.node-password\.skiff$/);
  });

  it('settles two first joins racing for one name: exactly one wins', async () => {
    const answers = await Promise.all([call(CLIENT_KUBELET_PATH, node('race', 'x')), call(CLIENT_KUBELET_PATH, node('race', 'y'))]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 403]);
  });

  it('refuses a node whose Secret has no hash', async () => {
    secrets.objects.set('odd.node-password.skiff', { metadata: { name: 'odd.node-password.skiff' }, data: {} });
    assert.equal((await call(CLIENT_KUBELET_PATH, node('odd', 'p'))).status, 403);
  });

  it('serves the client CA with the token, GET only', async () => {
    const ok = await call(CLIENT_CA_PATH, { Authorization: basic('node', SECRET) });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, clientCA.certPem);
    assert.equal((await call(CLIENT_CA_PATH, { Authorization: basic('node', SECRET) }, 'POST')).status, 405);
  });
});
