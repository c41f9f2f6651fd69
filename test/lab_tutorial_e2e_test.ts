// The k3s tutorial end to end, with its own manifests byte for byte: a containerd lab (controller,
// two workers, client, registry). `image: mongo` and `image: sdelements/lets-chat` are pulled from
// the lab registry (the stand-in images are pushed there as docker.io/…:latest), and everything is
// checked from the client host, as the tutorial's reader would from their laptop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFESTS } from './harness.js';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';

const TUTORIAL_FILES = ['mongo-deployment.yaml', 'mongo-srv.yaml', 'letschat-deployment.yaml', 'letschat-srv.yaml', 'ingress-v1beta1.yaml', 'ingress.yaml'];
const skip =
  containerdSkipReason() ??
  (existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo') ? undefined : 'the lab registry needs docker-registry and skopeo (apt-get install docker-registry skopeo)') ??
  (TUTORIAL_FILES.every((f) => existsSync(join(MANIFESTS, f))) ? undefined : `the tutorial's manifests are not in ${MANIFESTS}`);
const NODE_IPS = ['10.77.0.10', '10.77.0.11', '10.77.0.12'];
const HOST = 'www.letschat.com';
// Short node timeouts so a halted worker's pods are evicted in seconds (the defaults are 40 s + 300 s).
const FAST_NODES = ['--node-lease-duration-seconds', '4', '--node-status-update-frequency', '2s'];
const FAST_SERVER = ['--node-monitor-grace-period', '6s', '--default-not-ready-toleration-seconds', '5', '--default-unreachable-toleration-seconds', '5', ...FAST_NODES];
let lab: TestLab;
/** halted is the worker the halt test powered off (its address no longer answers). */
let halted: string | undefined;

before(async () => {
  if (skip) return;
  lab = await startImageLab([], { serverArgs: FAST_SERVER, agentArgs: FAST_NODES }, ['mongo-standin.tar', 'lets-chat-standin.tar']);
});

after(async () => {
  await lab?.down();
});

const k = (args: string[], timeoutMs = 30_000): Promise<string> => lab.kubectlOk(args, { timeoutMs });
const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> => poll(what, fn, timeoutMs, 500);
/** fromClient runs a shell command on the lab's client host. */
const fromClient = async (cmd: string): Promise<string> => {
  const r = await lab.exec('client', ['sh', '-c', cmd], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`client: ${cmd}: exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
};

interface Reply {
  status: number;
  servedBy: string;
  body: string;
}

/** request sends one HTTP request from the client host with curl; `host` sets the Host header. */
async function request(url: string, o: { host?: string; data?: string } = {}): Promise<Reply> {
  const args = ['curl', '-s', '-m', '5', '-i', ...(o.host ? ['-H', `Host: ${o.host}`] : []), ...(o.data !== undefined ? ['--data-urlencode', `text=${o.data}`] : []), url];
  const r = await lab.exec('client', args, { timeoutMs: 15_000 });
  if (r.code !== 0) throw new Error(`curl ${url}: exit ${r.code}`);
  const [head = '', ...rest] = r.stdout.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), servedBy: /^X-Served-By: (.*)$/im.exec(head)?.[1]?.trim() ?? '', body: rest.join('\r\n\r\n') };
}

interface PodView {
  name: string;
  node: string;
  ready: boolean;
  deleting: boolean;
}

async function pods(app: string): Promise<PodView[]> {
  const list = JSON.parse(await k(['get', 'pods', '-l', `name=${app}`, '-o', 'json'])) as {
    items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { conditions?: { type: string; status: string }[] } }[];
  };
  return list.items.map((p) => ({
    name: p.metadata.name,
    node: p.spec.nodeName ?? '',
    ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    deleting: Boolean(p.metadata.deletionTimestamp),
  }));
}

/** readyPods waits until exactly n pods of the app are Ready and none is being deleted. */
const readyPods = (app: string, n: number, timeoutMs = 120_000): Promise<PodView[]> =>
  eventually(`${n} ready ${app} pods`, async () => {
    const list = await pods(app);
    const live = list.filter((p) => !p.deleting);
    assert.equal(live.filter((p) => p.ready).length, n, JSON.stringify(list));
    assert.equal(live.length, n, JSON.stringify(list));
    return live;
  }, timeoutMs);

const nodePort = async (): Promise<number> => Number(await k(['get', 'svc', 'letschat', '-o', 'jsonpath={.spec.ports[0].nodePort}']));

/** liveNodeIPs are the node addresses that still answer (all but the halted worker's). */
const liveNodeIPs = (): string[] => NODE_IPS.filter((ip) => ip !== lab.state.hosts.find((h) => h.name === halted)?.ip);

/** appServes checks the page through the NodePort and through the Ingress on every node. */
async function appServes(nodes = NODE_IPS): Promise<void> {
  const port = await nodePort();
  for (const ip of nodes) {
    const viaNodePort = await request(`http://${ip}:${port}/`);
    assert.equal(viaNodePort.status, 200, `NodePort ${ip}:${port}: ${viaNodePort.body}`);
    assert.match(viaNodePort.body, /<h1>Let's Chat<\/h1>/);
    const viaIngress = await request(`http://${ip}/`, { host: HOST });
    assert.equal(viaIngress.status, 200, `Ingress on ${ip}: ${viaIngress.body}`);
    assert.match(viaIngress.body, /<h1>Let's Chat<\/h1>/);
  }
}

test('the tutorial manifests apply unchanged and pull mongo and sdelements/lets-chat from the lab registry', { skip }, async () => {
  const catalog = await fromClient('curl -s -m 5 http://10.77.0.6:5000/v2/_catalog');
  assert.deepEqual((JSON.parse(catalog) as { repositories: string[] }).repositories.sort(), ['library/mongo', 'sdelements/lets-chat']);
  for (const f of TUTORIAL_FILES.filter((x) => !x.startsWith('ingress'))) {
    assert.match(await k(['apply', '-f', join(MANIFESTS, f)]), / created\n$/);
  }
  await readyPods('mongo', 1);
  await readyPods('letschat', 1);
  // The images were never imported: each node pulled them (pull policy Always for :latest).
  const images = await k(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.status.containerStatuses[0].image} {.status.containerStatuses[0].imageID}{"\\n"}{end}']);
  assert.match(images, /docker\.io\/library\/mongo:latest docker\.io\/library\/mongo@sha256:/);
  assert.match(images, /docker\.io\/sdelements\/lets-chat:latest docker\.io\/sdelements\/lets-chat@sha256:/);
  const svc = await k(['get', 'svc', 'letschat', 'mongo', '--no-headers']);
  assert.match(svc, /^letschat\s+NodePort\s+10\.43\.\d+\.\d+\s+<none>\s+8080:3\d{4}\/TCP/m);
  assert.match(svc, /^mongo\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+27017\/TCP/m);
});

test('the Ingress, first as the article ships it (v1beta1), then edited to v1, gets the node addresses', { skip }, async () => {
  const old = await lab.kubectl(['apply', '-f', join(MANIFESTS, 'ingress-v1beta1.yaml')]);
  assert.equal(old.code, 0, old.stderr);
  assert.match(old.stdout, /ingress-letschat created/);
  assert.match(await k(['apply', '-f', join(MANIFESTS, 'ingress.yaml')]), /ingress-letschat (configured|unchanged)/);
  await eventually('the Ingress ADDRESS', async () => {
    const row = await k(['get', 'ingress', 'ingress-letschat', '--no-headers']);
    assert.match(row, new RegExp(`^ingress-letschat\\s+skiff\\s+www\\.letschat\\.com\\s+${NODE_IPS.join(',').replace(/\./g, '\\.')}\\s+80\\s`));
  });
});

test('the app answers through the NodePort and the Ingress on every node', { skip }, async () => {
  await eventually('the app on every node', () => appServes());
  const unknown = await request(`http://${NODE_IPS[1]}/`, { host: 'www.example.org' });
  assert.equal(unknown.status, 404);
});

test('a message stored through one replica is read back through another', { skip }, async () => {
  await k(['scale', 'deployment', 'letschat', '--replicas', '2']);
  const replicas = (await readyPods('letschat', 2)).map((p) => p.name);
  const port = await nodePort();
  const stored = await eventually('a message stored', async () => {
    const r = await request(`http://${NODE_IPS[0]}:${port}/messages`, { data: 'hola desde el tutorial' });
    assert.equal(r.status, 201, r.body);
    return r.servedBy;
  });
  assert.ok(replicas.includes(stored), `${stored} not in ${replicas.join(', ')}`);
  const other = replicas.find((n) => n !== stored)!;
  // Each request picks a replica at random; ask until the other one answers.
  await eventually(`the message read through ${other}`, async () => {
    const r = await request(`http://${NODE_IPS[2]}/messages`, { host: HOST });
    assert.equal(r.servedBy, other);
    assert.equal(r.status, 200);
    assert.match(r.body, /^hola desde el tutorial$/m);
  }, 30_000);
});

test('a deleted pod comes back and the app keeps serving', { skip }, async () => {
  const [victim] = await readyPods('letschat', 2);
  await k(['delete', 'pod', victim!.name, '--wait=false']);
  const now = await readyPods('letschat', 2);
  assert.ok(!now.some((p) => p.name === victim!.name), 'the deleted pod is gone');
  await eventually('the app after the delete', () => appServes());
});

test('scaled to 10, the replicas spread over the three nodes and traffic reaches many of them', { skip }, async () => {
  await k(['scale', 'deployment', 'letschat', '--replicas', '10']);
  const list = await readyPods('letschat', 10, 180_000);
  const perNode = new Map<string, number>();
  for (const p of list) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
  assert.deepEqual([...perNode.keys()].sort(), ['controller', 'worker1', 'worker2'], JSON.stringify([...perNode]));
  const port = await nodePort();
  // 40 requests spread over the nodes' NodePorts and Ingresses: well over half the replicas answer.
  const urls = NODE_IPS.flatMap((ip) => [`http://${ip}:${port}/healthz`, `-H 'Host: ${HOST}' http://${ip}/healthz`]);
  const script = Array.from({ length: 40 }, (_, i) => `curl -s -m 5 -o /dev/null -D - ${urls[i % urls.length]!}`).join('; ');
  await eventually('traffic reaching many replicas', async () => {
    const heads = await fromClient(script);
    const served = new Set([...heads.matchAll(/^X-Served-By: (\S+)/gim)].map((m) => m[1]));
    assert.ok(served.size >= 6, `only ${served.size} replicas answered: ${[...served].join(', ')}`);
    assert.ok([...served].every((n) => list.some((p) => p.name === n)));
  }, 60_000);
});

test('halting the worker with the backend: its pods are replaced elsewhere and the app serves from the new backend', { skip }, async () => {
  let [backend] = await readyPods('mongo', 1);
  if (backend!.node === 'controller') {
    // The controller is the API server and cannot be halted: move the backend to a worker first.
    await k(['cordon', 'controller']);
    await k(['delete', 'pod', backend!.name, '--wait=false']);
    [backend] = await readyPods('mongo', 1);
    await k(['uncordon', 'controller']);
  }
  const worker = backend!.node;
  const onWorker = (await readyPods('letschat', 10)).filter((p) => p.node === worker).map((p) => p.name);
  await lab.halt(worker);
  halted = worker;
  await eventually(`${worker} NotReady`, async () => {
    assert.match(await k(['get', 'node', worker, '--no-headers']), /\sNotReady\s/);
  }, 60_000);
  // After the 5 s toleration the pods on the halted node are evicted (they stay Terminating, as
  // their kubelet cannot confirm) and their replacements start on the other nodes.
  const replaced = (app: string, n: number): Promise<PodView[]> =>
    eventually(`${n} ${app} pods ready off ${worker}`, async () => {
      const live = (await pods(app)).filter((p) => !p.deleting);
      assert.equal(live.length, n, JSON.stringify(live));
      assert.ok(live.every((p) => p.ready && p.node !== worker), JSON.stringify(live));
      return live;
    }, 120_000);
  const [mongo] = await replaced('mongo', 1);
  assert.notEqual(mongo!.name, backend!.name);
  const frontends = await replaced('letschat', 10);
  assert.ok(!frontends.some((p) => onWorker.includes(p.name)));
  const live = liveNodeIPs();
  await eventually('the app served again from the new backend', async () => {
    const r = await request(`http://${live[0]}/messages`, { host: HOST, data: 'despues del apagado' });
    assert.equal(r.status, 201, r.body);
    const list = await request(`http://${live[1]}:${await nodePort()}/messages`);
    assert.equal(list.status, 200, list.body);
    assert.match(list.body, /^despues del apagado$/m);
    // The new backend starts empty: the old message lived in the halted pod.
    assert.doesNotMatch(list.body, /hola desde el tutorial/);
  }, 60_000);
  await appServes(live);
});

test('scaled back down to 1, the app still serves', { skip }, async () => {
  await k(['scale', 'deployment', 'letschat', '--replicas', '1']);
  await readyPods('letschat', 1, 120_000);
  await eventually('the app with one replica', () => appServes(liveNodeIPs()), 60_000);
});
