// NetworkPolicy on real nodes: a containerd lab (controller with its embedded agent, one worker,
// client host) where every node enforces policies in nftables. Connections are made from real pods
// with busybox wget; a refused connection fails at once (the table rejects), so checks are quick.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';

const skip = containerdSkipReason();
let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await startImageLab(['busybox-1.35.tar'], { name: 'netpol', subnet: '10.83.0.0/24', workers: 1 });
});

after(async () => {
  if (!lab) return;
  await lab.kubectl(['delete', 'namespace', 'np-a', 'np-b', '--wait=false'], { timeoutMs: 20_000 });
  await lab.down();
});

const k = (args: string[], timeoutMs = 30_000): Promise<string> => lab.kubectlOk(args, { timeoutMs });
const apply = (yaml: string): Promise<string> => lab.kubectlOk(['apply', '-f', '-'], { input: yaml });
const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> => poll(what, fn, timeoutMs, 300);

// server (worker1) answers "ok" on 8080 (named http) and 9090 (named alt). friend runs on the
// controller (another node), stranger beside the server on worker1 (same bridge), outsider in
// namespace np-b on the controller.
const client = (ns: string, name: string, node: string, labels: string): string => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
`;
const app = `apiVersion: v1
kind: Namespace
metadata: {name: np-a, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: np-b, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: np-a, labels: {app: server}}
spec:
  nodeName: worker1
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: skiff.local/busybox:1.35
    command: ["sh", "-c", "mkdir -p /w && echo ok > /w/index.html && httpd -p 9090 -h /w && exec httpd -f -p 8080 -h /w"]
    ports: [{name: http, containerPort: 8080}, {name: alt, containerPort: 9090}]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: server, namespace: np-a}
spec:
  selector: {app: server}
  ports: [{port: 80, targetPort: http}]
${client('np-a', 'friend', 'controller', 'role: friend')}${client('np-a', 'stranger', 'worker1', 'role: stranger')}${client('np-b', 'outsider', 'controller', 'role: outsider')}`;

const SOURCES = [['np-a', 'friend'], ['np-a', 'stranger'], ['np-b', 'outsider']] as const;
let serverIP = '';

/** reachable runs one shell loop in a pod: for each port of the server, whether a GET answers "ok". */
async function reachable(ns: string, pod: string, ports: number[]): Promise<Record<number, boolean>> {
  const script = ports.map((p) => `if [ "$(timeout 3 wget -qO- http://${serverIP}:${p}/ 2>/dev/null)" = ok ]; then echo ${p} ok; else echo ${p} no; fi`).join('; ');
  const out = await k(['exec', '-n', ns, pod, '--', 'sh', '-c', script]);
  return Object.fromEntries(ports.map((p) => [p, new RegExp(`^${p} ok$`, 'm').test(out)]));
}

/** expect polls until every source reaches exactly the ports marked true (policies land within a moment). */
async function expect(what: string, want: Record<string, Record<number, boolean>>): Promise<void> {
  await eventually(what, async () => {
    for (const [ns, pod] of SOURCES) {
      const ports = want[pod];
      if (!ports) continue;
      assert.deepEqual(await reachable(ns, pod, Object.keys(ports).map(Number)), ports, `${ns}/${pod}`);
    }
  });
}
const all = (v: boolean): Record<number, boolean> => ({ 8080: v, 9090: v });

test('the pods are up on both nodes, and with no policy every pod reaches the server', { skip }, async () => {
  await apply(app);
  await eventually('four running pods, the server ready', async () => {
    const out = await k(['get', 'pods', '-A', '-l', 'app=server', '-o', 'jsonpath={.items[0].status.containerStatuses[0].ready} {.items[0].status.podIP}']);
    const [ready, ip] = out.trim().split(' ');
    assert.equal(ready, 'true', out);
    serverIP = ip!;
    for (const [ns, pod] of SOURCES) assert.equal(await k(['get', 'pod', '-n', ns, pod, '-o', 'jsonpath={.status.phase}']), 'Running', `${ns}/${pod}`);
  }, 90_000);
  await expect('open access', { friend: all(true), stranger: all(true), outsider: all(true) });
});

test('default-deny ingress in a namespace refuses every pod, across nodes and on the same bridge; kubelet probes still pass', { skip }, async () => {
  await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: np-a}
spec: {podSelector: {}}
`);
  await expect('refused', { friend: all(false), stranger: all(false), outsider: all(false) });
  // The readiness probe comes from the node itself, which policies never block.
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal(await k(['get', 'pod', '-n', 'np-a', 'server', '-o', 'jsonpath={.status.containerStatuses[0].ready}']), 'true');
});

test('allow from pods with a label on a named port, and from a namespace selector on a numbered port', { skip }, async () => {
  await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: friends-http, namespace: np-a}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: friend}}}]
    ports: [{port: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: team-b-alt, namespace: np-a}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: b}}}]
    ports: [{protocol: TCP, port: 9000, endPort: 9100}]
`);
  await expect('allowed by label and by namespace', { friend: { 8080: true, 9090: false }, stranger: all(false), outsider: { 8080: false, 9090: true } });
});

test('ipBlock with except: the pod network but the stranger', { skip }, async () => {
  const stranger = (await k(['get', 'pod', '-n', 'np-a', 'stranger', '-o', 'jsonpath={.status.podIP}'])).trim();
  await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: pod-network-alt, namespace: np-a}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: 10.42.0.0/16, except: [${stranger}/32]}}]
    ports: [{port: alt}]
`);
  await expect('allowed by ipBlock', { friend: { 8080: true, 9090: true }, stranger: all(false), outsider: { 8080: false, 9090: true } });
});

test('egress default-deny in a namespace, DNS allowed: names resolve, connections are refused', { skip }, async () => {
  await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-dns-only, namespace: np-b}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
`);
  await expect('egress refused', { outsider: all(false) });
  // The API server runs on the outsider's own node: egress to the node is checked too (input hook).
  assert.notEqual((await lab.kubectl(['exec', '-n', 'np-b', 'outsider', '--', 'sh', '-c', 'echo | timeout 3 nc -w 2 10.43.0.1 443'], { timeoutMs: 20_000 })).code, 0, 'the API server is refused');
  const answer = await k(['exec', '-n', 'np-b', 'outsider', '--', 'nslookup', 'server.np-a.svc.cluster.local']);
  assert.match(answer, /Address: 10\.43\.\d+\.\d+/);
  // The ingress side still lets the friend in: egress rules of np-b do not touch np-a.
  await expect('np-a unchanged', { friend: { 8080: true, 9090: true } });
});

test('deleting the policies restores access', { skip }, async () => {
  await k(['delete', 'networkpolicy', '-n', 'np-a', '--all']);
  await k(['delete', 'networkpolicy', '-n', 'np-b', '--all']);
  await expect('open access again', { friend: all(true), stranger: all(true), outsider: all(true) });
  await k(['exec', '-n', 'np-b', 'outsider', '--', 'sh', '-c', 'echo | timeout 3 nc -w 2 10.43.0.1 443']);
  // No policy left: every node's table isolates nobody.
  for (const host of ['controller', 'worker1']) {
    const r = await lab.exec(host, ['nft', 'list', 'set', 'ip', 'skiff-netpol', 'ingress-isolated']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /elements/, `${host}: ${r.stdout}`);
    assert.doesNotMatch(lab.logs(host), /NetworkPolicy update failed|br_netfilter/, `${host} applied every change`);
  }
});
