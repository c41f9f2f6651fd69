// Service networking on real nodes: a containerd lab (controller, two workers, client host) with
// the node proxy (nftables) and cluster DNS running on every node. Traffic is
// checked from pods and from the lab's client host, as a user of the cluster would send it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';
import { existsSync } from 'node:fs';
import { writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock } from '../src/lib/clock.js';
import { createCA, issueServingCert } from '../src/pki/index.js';

const skip = containerdSkipReason();
const hasPython = (): boolean => existsSync('/usr/bin/python3');
const NODE_IPS = ['10.77.0.10', '10.77.0.11', '10.77.0.12'];
let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await startImageLab(['busybox-1.35.tar']);
});

after(async () => {
  await lab?.down();
});

const k = (args: string[], timeoutMs = 30_000): Promise<string> => lab.kubectlOk(args, { timeoutMs });
const apply = (yaml: string): Promise<string> => lab.kubectlOk(['apply', '-f', '-'], { input: yaml });
const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> => poll(what, fn, timeoutMs, 500);
/** fromPod runs a shell command in the test's client pod. */
const fromPod = (cmd: string): Promise<string> => k(['exec', 'probe', '--', 'sh', '-c', cmd]);
/** fromClient runs a command on the lab's client host (outside the cluster). */
const fromClient = async (cmd: string): Promise<string> => {
  const r = await lab.exec('client', ['sh', '-c', cmd], { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`client: ${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};

// busybox wget's -T crashes (Debian 1.35), so pod-side waits use `timeout`.
// Three replicas that each answer with their own pod name on a named port.
const echoApp = `apiVersion: apps/v1
kind: Deployment
metadata: {name: echo}
spec:
  replicas: 3
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: skiff.local/busybox:1.35
        command: ["sh", "-c", "mkdir -p /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{name: web, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: echo-np}
spec:
  type: NodePort
  selector: {app: echo}
  ports: [{port: 8080, targetPort: 8080, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: echo-lb}
spec:
  type: LoadBalancer
  selector: {app: echo}
  ports: [{port: 8081, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: probe}
spec:
  nodeName: worker1
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
`;

test('the app is up: three echo replicas and a client pod', { skip }, async () => {
  await apply(echoApp);
  await eventually('3 ready echo pods and the probe pod', async () => {
    const out = await k(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.status.containerStatuses[0].ready}{"\\n"}{end}']);
    assert.equal(out.split('\n').filter((l) => /^echo-\S+ Running true$/.test(l)).length, 3, out);
    assert.match(out, /^probe Running true$/m);
  }, 90_000);
});

const clusterIP = async (name: string): Promise<string> => (await k(['get', 'svc', name, '-o', 'jsonpath={.spec.clusterIP}'])).trim();

test('ClusterIP from a pod, with a named targetPort, spread over the replicas', { skip }, async () => {
  const seen = new Set<string>();
  const ip = await clusterIP('echo');
  await eventually('echo answers through its ClusterIP', async () => {
    for (let i = 0; i < 12; i++) seen.add((await fromPod(`wget -qO- http://${ip}/`)).trim());
    assert.ok(seen.size >= 2, `replicas seen: ${[...seen].join(', ')}`);
  });
  assert.ok([...seen].every((n) => n.startsWith('echo-')));
});

test('cluster DNS: pod resolv.conf, Service names by search path, the kubernetes Service, NXDOMAIN', { skip }, async () => {
  const resolv = await fromPod('cat /etc/resolv.conf');
  assert.match(resolv, /nameserver 10\.43\.0\.10/);
  assert.match(resolv, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
  assert.match(resolv, /ndots:5/);
  const ip = await clusterIP('echo');
  await eventually('kube-dns answers', async () => assert.match(await fromPod('nslookup echo.default.svc.cluster.local'), new RegExp(ip.replace(/\./g, '\\.'))), 30_000);
  assert.match(await fromPod('nslookup kubernetes.default.svc.cluster.local'), /10\.43\.0\.1\b/);
  assert.match(await fromPod('wget -qO- http://echo/'), /^echo-/);
  const missing = await lab.kubectl(['exec', 'probe', '--', 'nslookup', 'nothing-here.default.svc.cluster.local'], { timeoutMs: 20_000 });
  assert.match(missing.stdout + missing.stderr, /NXDOMAIN|can't find/);
  // No resolver outside the lab: outside names fail fast instead of waiting 5 s per search domain.
  const started = Date.now();
  await lab.kubectl(['exec', 'probe', '--', 'nslookup', 'example.org'], { timeoutMs: 20_000 });
  assert.ok(Date.now() - started < 8_000, `outside name took ${Date.now() - started} ms`);
});

test('the kubernetes Service reaches the API server from a pod', { skip }, async () => {
  // busybox nc has no -z: a connection that opens and closes on EOF exits 0.
  await fromPod('echo | nc -w 3 10.43.0.1 443');
});

test('a Service without endpoints refuses at once', { skip }, async () => {
  const started = Date.now();
  const r = await lab.kubectl(['exec', 'probe', '--', 'timeout', '8', 'wget', '-qO-', `http://${await clusterIP('nobody')}/`], { timeoutMs: 20_000 });
  assert.notEqual(r.code, 0);
  assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
});

test('NodePort answers on every node address from the client host', { skip }, async () => {
  for (const ip of NODE_IPS) {
    await eventually(`NodePort on ${ip}`, async () => assert.match(await fromClient(`wget -qO- http://${ip}:30080/`), /^echo-/), 20_000);
  }
});

test('LoadBalancer: EXTERNAL-IP lists the nodes and each answers on the port', { skip }, async () => {
  await eventually('status.loadBalancer.ingress', async () => {
    const ips = (await k(['get', 'svc', 'echo-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'])).trim().split(' ');
    assert.deepEqual(ips, NODE_IPS);
  }, 20_000);
  for (const ip of NODE_IPS) await eventually(`LoadBalancer on ${ip}`, async () => assert.match(await fromClient(`wget -qO- http://${ip}:8081/`), /^echo-/), 20_000);
});

const ingresses = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: echo}
spec:
  rules:
  - host: echo.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {name: web}}}}
      - {path: /empty, pathType: Exact, backend: {service: {name: nobody, port: {number: 80}}}}
  - host: "*.wild.example"
    http:
      paths:
      - {path: /, pathType: ImplementationSpecific, backend: {service: {name: echo, port: {number: 80}}}}
  - host: secure.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}
  tls:
  - {hosts: [secure.example], secretName: secure-tls}
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: echo-old}
spec:
  rules:
  - host: old.example
    http:
      paths:
      - path: /
        backend: {serviceName: echo, servicePort: 80}
`;

let caFile = '';

/** viaIngress asks a node's port 80 for a host name from the client host; prints the body (also of errors). */
const viaIngress = (ip: string, host: string, path = '/'): Promise<string> => fromClient(`curl -s -m 5 -H 'Host: ${host}' -w ' %{http_code}' http://${ip}${path}`);

test('Ingress: the default class, host and path routing on port 80 of every node, 404 and 503', { skip }, async () => {
  assert.match(await k(['get', 'ingressclass']), /^skiff\s+skiff\.io\/ingress\s/m);
  const ca = await createCA('lab-ingress', realClock);
  const leaf = await issueServingCert(ca, { commonName: 'secure.example', dnsNames: ['secure.example'] });
  caFile = join(tmpdir(), `skiff-lab-ingress-ca-${process.pid}.pem`);
  await writeFile(caFile, ca.certPem);
  await lab.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'secure-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': leaf.certPem, 'tls.key': leaf.keyPem } }) });
  await apply(ingresses);
  // Each node loads the two Ingresses as its watch delivers them, so all checks wait together.
  for (const ip of NODE_IPS) {
    await eventually(`ingress on ${ip}`, async () => {
      assert.match(await viaIngress(ip, 'echo.example'), /^echo-\S+\n? 200$/);
      assert.match(await viaIngress(ip, 'a.wild.example'), /^echo-\S+\n? 200$/);
      assert.match(await viaIngress(ip, 'old.example'), /^echo-\S+\n? 200$/, 'the v1beta1 Ingress is served');
      assert.match(await viaIngress(ip, 'unknown.example'), /404 page not found\n? 404$/);
      assert.match(await viaIngress(ip, 'echo.example', '/empty'), / 503$/);
    }, 30_000);
  }
  await eventually('ADDRESS lists the node addresses', async () => {
    assert.equal((await k(['get', 'ingress', 'echo', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'])).trim(), NODE_IPS.join(' '));
  }, 30_000);
  const row = (await k(['get', 'ingress', 'echo', '--no-headers'])).trim().split(/\s{2,}/);
  assert.deepEqual(row.slice(0, 5), ['echo', 'skiff', 'echo.example,*.wild.example,secure.example', NODE_IPS.join(','), '80, 443']);
});


test('Ingress: TLS by SNI from a kubernetes.io/tls Secret', { skip }, async () => {
  for (const ip of NODE_IPS) {
    await eventually(`https on ${ip}`, async () => assert.match(await fromClient(`curl -s -m 5 --cacert ${caFile} --resolve secure.example:443:${ip} https://secure.example/`), /^echo-/), 30_000);
  }
  await rm(caFile, { force: true });
});

// One pod per node whose CGI page prints the peer address it sees and its own name, behind
// Services with each traffic policy; a second port answers "second".
const whoami = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: whoami}
spec:
  selector: {matchLabels: {app: whoami}}
  template:
    metadata: {labels: {app: whoami}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: skiff.local/busybox:1.35
        command: ["sh", "-c"]
        args:
        - |
          mkdir -p /w/cgi-bin /w2
          cat > /w/cgi-bin/ip <<'EOF'
          #!/bin/sh
          printf 'Content-Type: text/plain\\r\\n\\r\\n%s %s\\n' "$REMOTE_ADDR" "$(hostname)"
          EOF
          chmod +x /w/cgi-bin/ip
          echo second > /w2/index.html
          httpd -p 8081 -h /w2
          exec httpd -f -p 8080 -h /w
        ports: [{name: http, containerPort: 8080}, {name: alt, containerPort: 8081}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: whoami-local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: whoami}
  ports: [{port: 80, targetPort: http, nodePort: 30081}]
---
apiVersion: v1
kind: Service
metadata: {name: whoami-itp}
spec:
  internalTrafficPolicy: Local
  selector: {app: whoami}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: whoami-aff}
spec:
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
  selector: {app: whoami}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: whoami-multi}
spec:
  selector: {app: whoami}
  externalIPs: [10.77.0.200]
  ports: [{name: web, port: 80, targetPort: http}, {name: alt, port: 8081, targetPort: alt}]
`;

/** whoamiPods maps each node to its whoami pod. */
async function whoamiPods(): Promise<Map<string, string>> {
  const out = await k(['get', 'pods', '-l', 'app=whoami', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.metadata.name} {.status.containerStatuses[0].ready}{"\\n"}{end}']);
  const rows = out.trim().split('\n').filter((l) => l.endsWith(' true')).map((l) => l.split(' '));
  return new Map(rows.map(([node, pod]) => [node!, pod!]));
}

/** peerAndPod parses the whoami page: the address the pod saw and the pod's name. */
const peerAndPod = (body: string): [string, string] => {
  const [peer = '', pod = ''] = body.trim().split(' ');
  return [peer.replace(/^\[::ffff:(.*)\]$/, '$1'), pod]; // busybox httpd writes IPv4 peers as [::ffff:a.b.c.d]
};

test('traffic policies: externalTrafficPolicy Local keeps the client address, internalTrafficPolicy Local stays on the node, ClientIP affinity sticks', { skip }, async () => {
  await apply(whoami);
  const pods = await eventually('a ready whoami pod on each node', async () => {
    const m = await whoamiPods();
    assert.equal(m.size, 3, JSON.stringify([...m]));
    return m;
  }, 90_000);
  for (const [i, node] of ['controller', 'worker1', 'worker2'].entries()) {
    await eventually(`externalTrafficPolicy Local on ${node}`, async () => {
      const [peer, pod] = peerAndPod(await fromClient(`curl -s -m 5 http://${NODE_IPS[i]}:30081/cgi-bin/ip`));
      assert.equal(pod, pods.get(node), 'only the local endpoint serves');
      assert.equal(peer, '10.77.0.5', 'the client address reaches the pod');
    }, 30_000);
  }
  // The probe pod runs on worker1: the Local Service answers only with worker1's pod.
  await eventually('internalTrafficPolicy Local', async () => {
    for (let n = 0; n < 6; n++) assert.equal(peerAndPod(await fromPod('wget -qO- http://whoami-itp/cgi-bin/ip'))[1], pods.get('worker1'));
  }, 30_000);
  const sticky = new Set<string>();
  await eventually('affinity', async () => {
    for (let n = 0; n < 8; n++) sticky.add(peerAndPod(await fromPod('wget -qO- http://whoami-aff/cgi-bin/ip'))[1]);
  }, 30_000);
  assert.equal(sticky.size, 1, `ClientIP affinity answered from ${[...sticky].join(', ')}`);
});

test('multi-port Services, externalIPs, and a pod reaching itself through its own Service (hairpin)', { skip }, async () => {
  const pods = await whoamiPods();
  await eventually('both ports of whoami-multi', async () => {
    assert.match(await fromPod('wget -qO- http://whoami-multi/cgi-bin/ip'), /^\S+ whoami-/);
    assert.equal((await fromPod('wget -qO- http://whoami-multi:8081/')).trim(), 'second');
  }, 30_000);
  // The client reaches the external IP through worker2, which owns no such address: the rules catch it.
  await lab.exec('client', ['ip', 'route', 'replace', '10.77.0.200/32', 'via', NODE_IPS[2]!]);
  await eventually('externalIP from the client host', async () => {
    assert.match(await fromClient('curl -s -m 5 http://10.77.0.200/cgi-bin/ip'), /^\S+ whoami-/);
    assert.equal((await fromClient('curl -s -m 5 http://10.77.0.200:8081/')).trim(), 'second');
  }, 30_000);
  const self = pods.get('worker2')!;
  const viaOwnService = await k(['exec', self, '--', 'wget', '-qO-', 'http://whoami-itp/cgi-bin/ip']);
  assert.equal(peerAndPod(viaOwnService)[1], self, 'the hairpin reaches the pod itself');
});

// A UDP server on the client host for one of its addresses (it answers with that address), bounded
// by `timeout`; prints its pid so the test can end it.
const udpServer = (ip: string): string =>
  `timeout 300 python3 -c "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(('${ip}',9999))
while True:
  d,a=s.recvfrom(100);s.sendto(b'${ip}',a)" >/dev/null 2>&1 & echo $!`;
/** udpAsk sends one datagram from the controller host with a fixed source port (one flow) and prints the reply. */
const udpAsk = async (target: string): Promise<string> => {
  const code = `import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('',40999));s.settimeout(2);s.sendto(b'x',('${target}',9999));print(s.recvfrom(100)[0].decode())`;
  const r = await lab.exec('controller', ['python3', '-c', code], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`udp to ${target}: ${r.stderr}`);
  return r.stdout.trim();
};

test('UDP: a Service answers over UDP, and when its endpoint moves the stale flow is cleared', { skip: skip ?? (hasPython() ? undefined : 'needs python3 on the lab hosts') }, async () => {
  await lab.exec('client', ['ip', 'addr', 'add', '10.77.0.7/24', 'dev', 'eth0']);
  const servers: number[] = [];
  for (const ip of ['10.77.0.5', '10.77.0.7']) servers.push(Number((await fromClient(udpServer(ip))).trim()));
  try {
    const slice = (ip: string): string => JSON.stringify({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'udp-outside-1', labels: { 'kubernetes.io/service-name': 'udp-outside' } }, addressType: 'IPv4', ports: [{ name: 'u', port: 9999, protocol: 'UDP' }], endpoints: [{ addresses: [ip], conditions: { ready: true } }] });
    await apply(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'udp-outside' }, spec: { ports: [{ name: 'u', port: 9999, protocol: 'UDP' }] } }));
    await apply(slice('10.77.0.5'));
    const ip = await clusterIP('udp-outside');
    await eventually('UDP through the ClusterIP', async () => assert.equal(await udpAsk(ip), '10.77.0.5'), 30_000);
    // The same flow (same source port) again: conntrack keeps it on the first endpoint…
    assert.equal(await udpAsk(ip), '10.77.0.5');
    await apply(slice('10.77.0.7'));
    // …until the endpoint changes: the proxy deletes the flow, so the next datagram goes to the new one.
    await eventually('the flow follows the new endpoint', async () => assert.equal(await udpAsk(ip), '10.77.0.7'), 20_000);
  } finally {
    for (const pid of servers) process.kill(pid);
  }
});

test('scaling to zero empties the Service and it refuses; scaling up serves again', { skip }, async () => {
  const ip = await clusterIP('echo');
  await k(['scale', 'deployment', 'echo', '--replicas', '0']);
  await eventually('refused once the endpoints are gone', async () => {
    const r = await lab.kubectl(['exec', 'probe', '--', 'timeout', '5', 'wget', '-qO-', `http://${ip}/`], { timeoutMs: 20_000 });
    assert.notEqual(r.code, 0);
  });
  await k(['scale', 'deployment', 'echo', '--replicas', '2']);
  await eventually('served again', async () => assert.match(await fromPod(`wget -qO- http://${ip}/`), /^echo-/), 90_000);
});
