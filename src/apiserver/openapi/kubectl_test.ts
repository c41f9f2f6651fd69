// Drives real kubectl binaries against a throwaway plain-HTTP server that serves discovery for
// apps/v1 deployments and our OpenAPI documents: explain and client-side validation must work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOpenApi, PROTOBUF_V2_CONTENT_TYPE, type OpenApi } from './index.js';

const MANIFEST = '/work/shared/seed/manifests/letschat-deployment.yaml';
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function which(cmd: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const p = join(dir, cmd);
    if (dir !== '' && existsSync(p)) return p;
  }
  return undefined;
}

const kubectl = which('kubectl');
const kubectl127 = which('kubectl.1.27') ?? (kubectl ? join(dirname(realpathSync(kubectl)), 'kubectl.1.27') : undefined);
const kubectl120 = [process.env['KUBECTL_1_20'], '/usr/local/lib/skiff-test/kubectl-1.20'].find((p) => p !== undefined && p !== '' && existsSync(p));

function discovery(port: number): Record<string, unknown> {
  const gv = { groupVersion: 'apps/v1', version: 'v1' };
  return {
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] },
    '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [gv], preferredVersion: gv }] },
    '/apis/apps/v1': {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'apps/v1',
      resources: [
        { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: VERBS, shortNames: ['deploy'], categories: ['all'] },
        { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
        { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      ],
    },
    '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '0', gitTreeState: 'clean', buildDate: '2024-12-11T00:00:00Z', goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64' },
  };
}

function handler(api: OpenApi, port: () => number, seen: string[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.method ?? ''} ${url.pathname} ${req.headers.accept ?? ''}`);
    const send = (code: number, type: string, body: Buffer | string): void => {
      res.writeHead(code, { 'Content-Type': type });
      res.end(body);
    };
    const json = (code: number, v: unknown): void => send(code, 'application/json', JSON.stringify(v));
    const doc = discovery(port())[url.pathname];
    if (doc !== undefined) return json(200, doc);
    if (url.pathname === '/openapi/v2') {
      const v2 = api.v2();
      const proto = (req.headers.accept ?? '').includes('protobuf');
      return proto ? send(200, PROTOBUF_V2_CONTENT_TYPE, v2.protobuf) : send(200, 'application/json', v2.json);
    }
    if (url.pathname === '/openapi/v3') return json(200, api.v3Index());
    const gv = url.pathname.startsWith('/openapi/v3/') ? api.v3GroupVersion(url.pathname.slice('/openapi/v3/'.length)) : undefined;
    if (gv) return send(200, 'application/json', gv.json);
    json(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${url.pathname} not found`, reason: 'NotFound', code: 404 });
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('real kubectl against our OpenAPI', () => {
  let server: Server;
  let port = 0;
  let home = '';
  const seen: string[] = [];

  before(async () => {
    const api = createOpenApi({
      gitVersion: 'v1.32.0',
      resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, subresources: ['status', 'scale'], hasStatus: true, verbs: VERBS }],
    });
    server = createServer(handler(api, () => port, seen));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    home = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
  });
  after(() => {
    server.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** run executes one kubectl with a fresh HOME (no kubeconfig, no discovery cache) and a timeout. */
  function run(bin: string, args: string[]): Promise<Run> {
    const env = { PATH: process.env['PATH'] ?? '', HOME: home, KUBECONFIG: join(home, 'none') };
    return new Promise((resolve) => {
      execFile(bin, [...args, '--server', `http://127.0.0.1:${port}`, '--cache-dir', join(home, 'cache')], { env, timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  }

  /** assertFetchedOpenApi: 1.20 reads the v2 document as protobuf; newer kubectl the apps/v1 v3 document. */
  function assertFetchedOpenApi(label: string): void {
    const wanted = label.includes('1.20') ? /^GET \/openapi\/v2 .*protobuf/ : /^GET \/openapi\/v3\/apis\/apps\/v1 /;
    assert.ok(seen.some((s) => wanted.test(s)), seen.join('\n'));
  }

  function manifest(name: string, patch: (yaml: string) => string): string {
    const p = join(home, name);
    writeFileSync(p, patch(readFileSync(MANIFEST, 'utf8')));
    return p;
  }

  const binaries: [string, string | undefined][] = [
    ['kubectl (1.32)', kubectl],
    ['kubectl 1.27', kubectl127 !== undefined && existsSync(kubectl127) ? kubectl127 : undefined],
    ['kubectl 1.20', kubectl120],
  ];
  for (const [label, bin] of binaries) {
    it(`${label}: explain deployment.spec`, { skip: bin === undefined ? 'not installed' : false }, async () => {
      seen.length = 0;
      const r = await run(bin ?? '', ['explain', 'deployment.spec']);
      assertFetchedOpenApi(label);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /DeploymentSpec is the specification of the desired behavior/);
      assert.match(r.stdout, /replicas\s+<integer>/);
      assert.match(r.stdout, /template\s+<(Object|PodTemplateSpec)>\s+-required-/);
    });

    it(`${label}: apply --dry-run=client --validate=true accepts the tutorial deployment`, { skip: bin === undefined ? 'not installed' : false }, async () => {
      seen.length = 0;
      const r = await run(bin ?? '', ['apply', '--dry-run=client', '--validate=true', '-f', MANIFEST]);
      assertFetchedOpenApi(label);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /deployment.apps\/letschat created \(dry run\)/);
    });
  }

  it('kubectl 1.20: rejects an unknown field client-side using OpenAPI v2', { skip: kubectl120 === undefined ? 'kubectl 1.20 not found' : false }, async () => {
    const file = manifest('bad.yaml', (y) => y.replace('  replicas: 1', '  replicass: 1'));
    const r = await run(kubectl120 ?? '', ['apply', '--dry-run=client', '--validate=true', '-f', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "replicass" in io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
  });
});
