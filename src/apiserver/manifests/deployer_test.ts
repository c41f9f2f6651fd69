import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allResources } from '../../api/resources/index.js';
import type { KubeObject } from '../../api/types.js';
import { realClock } from '../../lib/clock.js';
import { silentLogger, type Logger } from '../../lib/log.js';
import { MemoryBackend } from '../../storage/drivers/memory.js';
import { ApiCore } from '../core.js';
import { InProcessTransport } from '../in_process.js';
import { AddonRecords } from './addons.js';
import { LAST_APPLIED_ANNOTATION } from './apply.js';
import { builtinManifests, installBuiltins } from './builtin.js';
import { ManifestDeployer } from './deployer.js';
import { listManifests } from './files.js';
import { registryResolver } from './registry_resolver.js';

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: apps\ndata:\n  mode: blue\n';
const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n';
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
`;

function recordingLogger(lines: string[]): Logger {
  const log = (level: string) => (msg: string, f?: Record<string, unknown>) => lines.push(`${level} ${msg} ${JSON.stringify(f ?? {})}`);
  const l: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => l };
  return l;
}

describe('ManifestDeployer', () => {
  let core: ApiCore;
  let transport: InProcessTransport;
  let dir: string;
  const lines: string[] = [];
  let deployer: ManifestDeployer;
  const get = (resource: string, ns: string, name: string, group = '', version = 'v1') => transport.request({ verb: 'get', group, version, resource, namespace: ns, name }) as Promise<KubeObject>;
  const gone = async (resource: string, ns: string, name: string) => assert.equal(await get(resource, ns, name).then(() => 'present', (e: { code?: number }) => e.code), 404);

  before(async () => {
    core = new ApiCore({ backend: new MemoryBackend(), resources: allResources(), clock: realClock, logger: silentLogger, admission: [] });
    await core.start();
    transport = new InProcessTransport(core, { name: 'system:skiff-supervisor', groups: ['system:masters'] });
    for (const name of ['default', 'kube-system']) await transport.request({ verb: 'create', group: '', version: 'v1', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    dir = mkdtempSync(join(tmpdir(), 'skiff-manifests-'));
    deployer = new ManifestDeployer({ dir, transport, resolve: registryResolver(core.registry), logger: recordingLogger(lines) });
  });
  after(() => {
    core.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every object of a file and records them', async () => {
    writeFileSync(join(dir, 'app.yaml'), [namespace, configMap, deployment].join('---\n'));
    assert.deepEqual(await deployer.deployFile(join(dir, 'app.yaml'), false), { created: 3, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
    const cm = await get('configmaps', 'apps', 'app-config');
    assert.deepEqual(JSON.parse(cm.metadata.annotations?.[LAST_APPLIED_ANNOTATION] ?? '{}').data, { mode: 'blue' });
    await get('deployments', 'apps', 'web', 'apps');
    const record = await new AddonRecords(transport).get('app');
    assert.deepEqual(record?.objects.map((r) => `${r.kind}/${r.namespace}/${r.name}`), ['Namespace//apps', 'ConfigMap/apps/app-config', 'Deployment/apps/web']);
  });

  it('skips an unchanged file, and a forced pass writes nothing', async () => {
    assert.equal(await deployer.deployFile(join(dir, 'app.yaml'), false), undefined);
    const rv = (await get('deployments', 'apps', 'web', 'apps')).metadata.resourceVersion;
    assert.deepEqual(await deployer.deployFile(join(dir, 'app.yaml'), true), { created: 0, configured: 0, unchanged: 3, pruned: 0, failed: 0 });
    assert.equal((await get('deployments', 'apps', 'web', 'apps')).metadata.resourceVersion, rv);
  });

  it('updates changed objects and deletes the ones dropped from the file', async () => {
    writeFileSync(join(dir, 'app.yaml'), [namespace, deployment.replace('replicas: 2', 'replicas: 3')].join('---\n'));
    assert.deepEqual(await deployer.deployFile(join(dir, 'app.yaml'), false), { created: 0, configured: 1, unchanged: 1, pruned: 1, failed: 0 });
    assert.equal(((await get('deployments', 'apps', 'web', 'apps'))['spec'] as { replicas: number }).replicas, 3);
    await gone('configmaps', 'apps', 'app-config');
    assert.equal((await new AddonRecords(transport).get('app'))?.objects.length, 2);
  });

  it('keeps tracking everything and prunes nothing while an object fails', async () => {
    writeFileSync(join(dir, 'app.yaml'), [namespace, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n'].join('---\n'));
    const outcome = await deployer.deployFile(join(dir, 'app.yaml'), false);
    assert.equal(outcome?.failed, 1);
    await get('deployments', 'apps', 'web', 'apps');
    const record = await new AddonRecords(transport).get('app');
    assert.equal(record?.checksum, '');
    assert.equal(record?.objects.length, 2);
    assert.ok(lines.some((l) => l.includes('no matches for kind \\"Widget\\" in version \\"example.com/v1\\"') && l.includes('app.yaml')));
  });

  it('logs a broken file with its name and still applies the others', async () => {
    writeFileSync(join(dir, 'app.yaml'), [namespace, deployment].join('---\n'));
    writeFileSync(join(dir, 'broken.yaml'), 'kind: [\n');
    writeFileSync(join(dir, 'other.yml'), configMap.replace('app-config', 'other'));
    await deployer.deployAll(false);
    await get('configmaps', 'apps', 'other');
    assert.ok(lines.some((l) => l.startsWith('error failed to apply manifest') && l.includes('broken.yaml') && l.includes('document 1')));
  });

  it('lists a file with a .skip sibling as skipped', async () => {
    writeFileSync(join(dir, 'other.yml.skip'), '');
    assert.deepEqual((await listManifests(dir)).skipped, [join(dir, 'other.yml')]);
  });

  it('removes an addon: its objects and its record', async () => {
    assert.equal(await deployer.removeAddon('app'), 2);
    await gone('deployments', 'apps', 'web');
    assert.equal(await new AddonRecords(transport).get('app'), undefined);
  });

  it('writes the built-in files, and a disabled one goes with its objects', async () => {
    await installBuiltins(deployer, builtinManifests({ clusterDNS: '10.43.0.10', disableDns: false, disableIngress: false }), silentLogger);
    assert.match(readFileSync(join(dir, 'dns.yaml'), 'utf8'), /name: kube-dns/);
    await deployer.deployAll(true);
    await get('ingressclasses', '', 'skiff', 'networking.k8s.io');
    await installBuiltins(deployer, builtinManifests({ clusterDNS: '10.43.0.10', disableDns: false, disableIngress: true }), silentLogger);
    assert.equal(existsSync(join(dir, 'ingress.yaml')), false);
    await gone('ingressclasses', '', 'skiff');
    assert.equal(existsSync(join(dir, 'dns.yaml')), true);
  });
});
