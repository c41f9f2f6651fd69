// Service networking on real nodes: a containerd lab (controller, two workers, client host) with
// the node proxy (nftables) and cluster DNS running on every node. Traffic is
// checked from pods and from the lab's client host, as a user of the cluster would send it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { containerdSkipReason, startImageLab, type TestLab } from './lab_harness.js';
import { eventually as poll } from './eventually.js';
import { existsSync, readFileSync } from 'node:fs';
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
  lab = await startImageLab(['busybox-1.35.tar', 'api-client.tar']);
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

// Cluster DNS records (Kubernetes DNS specification), checked with busybox nslookup from pods and
// with raw queries: a headless Service of a StatefulSet (its governing Service) with a named port
// and a pod that never gets ready, a pod with hostname+subdomain, an ExternalName Service, and pods
// with each dnsPolicy. The many-endpoint Service (no selector, a hand-made EndpointSlice) makes an
// answer too large for UDP.
const dnsApp = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db, dns: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: db
        image: skiff.local/busybox:1.35
        command: ["sh", "-c", "mkdir -p /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w"]
        ports: [{name: mongo, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: db-unready, labels: {dns: db}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: skiff.local/busybox:1.35
    command: ["sleep", "3600"]
    ports: [{name: mongo, containerPort: 8080}]
    readinessProbe: {exec: {command: ["false"]}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {dns: db}
  ports: [{name: mongo, port: 27017, targetPort: mongo}]
---
apiVersion: v1
kind: Pod
metadata: {name: named, labels: {dns: sub}}
spec:
  hostname: alpha
  subdomain: sub
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: sub}
spec:
  clusterIP: None
  selector: {dns: sub}
  ports: [{name: x, port: 1234}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: db.example.org
---
apiVersion: v1
kind: Service
metadata: {name: many}
spec:
  clusterIP: None
  ports: [{name: p, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: many-1, labels: {kubernetes.io/service-name: many}}
addressType: IPv4
ports: [{name: p, port: 80, protocol: TCP}]
endpoints:
${Array.from({ length: 40 }, (_, i) => `- {addresses: [10.77.1.${i + 1}], conditions: {ready: true}}`).join('\n')}
---
apiVersion: v1
kind: Pod
metadata: {name: dns-default}
spec:
  nodeName: worker1
  dnsPolicy: Default
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: dns-none}
spec:
  nodeName: worker1
  dnsPolicy: None
  dnsConfig:
    nameservers: [10.77.0.12, 10.77.0.11]
    searches: [lab.example, default.svc.cluster.local]
    options: [{name: ndots, value: "2"}, {name: edns0}]
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: dns-hostnet-cluster}
spec:
  nodeName: worker2
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: dns-hostnet}
spec:
  nodeName: worker2
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: skiff.local/busybox:1.35, command: ["sleep", "3600"]}]
`;

/** nslookup runs busybox nslookup in a pod; it exits 1 when any name (or search attempt) fails, so both streams are returned. */
const nslookup = async (args: string, pod = 'probe'): Promise<string> => {
  const r = await lab.kubectl(['exec', pod, '--', 'sh', '-c', `nslookup ${args}`], { timeoutMs: 20_000 });
  return r.stdout + r.stderr;
};
/** addressesOf lists the addresses an nslookup printed for a name, sorted. */
const addressesOf = (out: string, name: string): string[] => [...out.matchAll(/^Name:\s+(\S+)\nAddress: (\S+)$/gm)].filter((m) => m[1] === name).map((m) => m[2]!).sort();
/** ptrNames lists the names of PTR answers an nslookup printed, sorted. */
const ptrNames = (out: string): string[] => [...out.matchAll(/\tname = (\S+)$/gm)].map((m) => m[1]!).sort();
/** podIP is a pod's address. */
const podIP = async (pod: string): Promise<string> => (await k(['get', 'pod', pod, '-o', 'jsonpath={.status.podIP}'])).trim();
const dashed = (ip: string): string => ip.replace(/\./g, '-');

/** DnsAnswer is one decoded resource record of a raw answer. */
interface DnsAnswer {
  name: string;
  type: number;
  data: string;
}
/** DnsReply is a raw answer as these tests read it (header flags and the answer section). */
interface DnsReply {
  id: number;
  tc: boolean;
  aa: boolean;
  rcode: number;
  answers: DnsAnswer[];
}
const T = { A: 1, CNAME: 5, PTR: 12, SRV: 33 } as const;
/** needsPython skips the tests that send raw queries from a lab host without python3 there. */
const needsPython = skip ?? (hasPython() ? undefined : 'needs python3 on the lab hosts');

/** dnsQuery is a DNS query message (RD set) for one name and type, written by hand. */
function dnsQuery(id: number, name: string, type: number): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(0x0100, 2);
  head.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(1, 3);
  return Buffer.concat([head, ...labels, tail]);
}
/** withLength prefixes a message with its two-byte length, as DNS over TCP sends it. */
const withLength = (m: Buffer): Buffer => Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m]);

/** decodeDns reads a DNS response (names with compression, A/CNAME/PTR/SRV data). */
function decodeDns(m: Buffer): DnsReply {
  const name = (at: number): [string, number] => {
    const labels: string[] = [];
    let o = at;
    let end = -1;
    while (m[o]! !== 0) {
      if (m[o]! >= 0xc0) {
        if (end < 0) end = o + 2;
        o = ((m[o]! & 0x3f) << 8) | m[o + 1]!;
        continue;
      }
      labels.push(m.subarray(o + 1, o + 1 + m[o]!).toString());
      o += 1 + m[o]!;
    }
    return [labels.join('.'), end < 0 ? o + 1 : end];
  };
  const flags = m.readUInt16BE(2);
  let o = 12;
  for (let i = 0; i < m.readUInt16BE(4); i++) o = name(o)[1] + 4;
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < m.readUInt16BE(6); i++) {
    const [n, next] = name(o);
    const type = m.readUInt16BE(next);
    const len = m.readUInt16BE(next + 8);
    const at = next + 10;
    const data =
      type === T.A ? [...m.subarray(at, at + 4)].join('.')
      : type === T.SRV ? `${m.readUInt16BE(at + 4)} ${name(at + 6)[0]}`
      : type === T.CNAME || type === T.PTR ? name(at)[0]
      : m.subarray(at, at + len).toString('hex');
    answers.push({ name: n, type, data });
    o = at + len;
  }
  return { id: m.readUInt16BE(0), tc: (flags & 0x0200) !== 0, aa: (flags & 0x0400) !== 0, rcode: flags & 15, answers };
}

// Sends one message (hex in argv) to SERVER:53 over udp or tcp from a lab host and prints the answer in hex.
const dnsRelay = `import socket,struct,sys
srv,proto,q=sys.argv[1],sys.argv[2],bytes.fromhex(sys.argv[3])
if proto=='tcp':
  s=socket.create_connection((srv,53),timeout=3);s.sendall(struct.pack('>H',len(q))+q);b=b''
  while len(b)<2 or len(b)<2+struct.unpack('>H',b[:2])[0]:
    c=s.recv(65535)
    if not c: break
    b+=c
  b=b[2:]
else:
  s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(3);s.sendto(q,(srv,53));b=s.recv(65535)
print(b.hex())`;
let queryId = 100;
/** askFromHost sends a raw query from a lab host (a node or the client) to a DNS server, over UDP or TCP. */
const askFromHost = async (host: string, server: string, proto: 'udp' | 'tcp', name: string, type: number): Promise<DnsReply> => {
  const id = ++queryId;
  const r = await lab.exec(host, ['python3', '-c', dnsRelay, server, proto, dnsQuery(id, name, type).toString('hex')], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`dns ${proto} from ${host} to ${server}: ${r.stderr}`);
  const reply = decodeDns(Buffer.from(r.stdout.trim(), 'hex'));
  assert.equal(reply.id, id);
  return reply;
};
/** askOverTcpFromPod sends a raw query over TCP from the probe pod (busybox printf | nc | od). */
const askOverTcpFromPod = async (server: string, name: string, type: number): Promise<DnsReply> => {
  const id = ++queryId;
  const escaped = [...withLength(dnsQuery(id, name, type))].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
  const hex = (await fromPod(`printf '${escaped}' | timeout 5 nc -w 2 ${server} 53 | od -An -v -tx1`)).replace(/\s+/g, '');
  const m = Buffer.from(hex, 'hex');
  assert.ok(m.length >= 2 && m.readUInt16BE(0) === m.length - 2, `a whole length-prefixed answer (${m.length} bytes)`);
  const reply = decodeDns(m.subarray(2));
  assert.equal(reply.id, id);
  return reply;
};

test('cluster DNS: a headless Service answers A with its ready pod addresses and SRV per named port', { skip }, async () => {
  await apply(dnsApp);
  await eventually('the DNS test pods', async () => {
    const out = await k(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.status.containerStatuses[0].ready}{"\\n"}{end}']);
    for (const p of ['db-0', 'db-1', 'named', 'dns-default', 'dns-none', 'dns-hostnet-cluster', 'dns-hostnet']) assert.match(out, new RegExp(`^${p} Running true$`, 'm'), out);
    assert.match(out, /^db-unready Running false$/m, out);
  }, 90_000);
  const [db0, db1, unready] = await Promise.all(['db-0', 'db-1', 'db-unready'].map(podIP));
  // The not-ready pod is an endpoint of the Service (ready: false), so it is DNS that leaves it out.
  await eventually('db endpoints', async () => {
    const eps = await k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=db', '-o', 'jsonpath={range .items[*].endpoints[*]}{.addresses[0]} {.conditions.ready}{"\\n"}{end}']);
    assert.deepEqual(eps.trim().split('\n').sort(), [`${db0} true`, `${db1} true`, `${unready} false`].sort());
  }, 20_000);
  await eventually('A records of the ready pods', async () => {
    assert.deepEqual(addressesOf(await nslookup('db.default.svc.cluster.local'), 'db.default.svc.cluster.local'), [db0!, db1!].sort());
  }, 20_000);
  // The SRV of a headless Service names each ready endpoint (its hostname) with the endpoint's port.
  const srv = await nslookup('-type=srv _mongo._tcp.db.default.svc.cluster.local');
  assert.deepEqual([...srv.matchAll(/^_mongo\._tcp\.db\.default\.svc\.cluster\.local\tservice = 0 \d+ (\d+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort(), ['8080 db-0.db.default.svc.cluster.local', '8080 db-1.db.default.svc.cluster.local']);
  // A ClusterIP Service's SRV names the Service itself, on the Service port.
  assert.match(await nslookup('-type=srv _web._tcp.echo.default.svc.cluster.local'), /^_web\._tcp\.echo\.default\.svc\.cluster\.local\tservice = 0 \d+ 80 echo\.default\.svc\.cluster\.local$/m);
  assert.match(await nslookup('-type=srv _nope._tcp.db.default.svc.cluster.local'), /NXDOMAIN/);
});

test('cluster DNS: an ExternalName Service is a CNAME to its externalName', { skip: needsPython }, async () => {
  assert.match(await nslookup('-type=cname ext.default.svc.cluster.local'), /^ext\.default\.svc\.cluster\.local\tcanonical name = db\.example\.org$/m);
  // An A query gets the CNAME (and no address: the target is outside the cluster), authoritatively.
  const a = await askFromHost('client', NODE_IPS[1]!, 'udp', 'ext.default.svc.cluster.local', T.A);
  assert.deepEqual({ aa: a.aa, rcode: a.rcode, answers: a.answers }, { aa: true, rcode: 0, answers: [{ name: 'ext.default.svc.cluster.local', type: T.CNAME, data: 'db.example.org' }] });
});

test('cluster DNS: StatefulSet pods have names under their governing Service, and so does a pod with hostname and subdomain', { skip }, async () => {
  for (const pod of ['db-0', 'db-1']) {
    const name = `${pod}.db.default.svc.cluster.local`;
    assert.deepEqual(addressesOf(await nslookup(name), name), [await podIP(pod)]);
  }
  // The pod's own resolver (glibc in busybox wget) finds the short name by the search path.
  assert.equal((await fromPod('wget -qO- http://db-1.db:8080/')).trim(), 'db-1');
  const name = 'alpha.sub.default.svc.cluster.local';
  await eventually('the hostname+subdomain record', async () => assert.deepEqual(addressesOf(await nslookup(name), name), [await podIP('named')]), 20_000);
  assert.equal((await k(['exec', 'named', '--', 'hostname'])).trim(), 'alpha');
});

test('cluster DNS: PTR for ClusterIPs and for pod addresses', { skip }, async () => {
  assert.deepEqual(ptrNames(await nslookup(await clusterIP('echo'))), ['echo.default.svc.cluster.local']);
  assert.deepEqual(ptrNames(await nslookup('10.43.0.10')), ['kube-dns.kube-system.svc.cluster.local']);
  // A pod behind a headless Service: its hostname under the Service.
  assert.deepEqual(ptrNames(await nslookup(await podIP('db-0'))), ['db-0.db.default.svc.cluster.local']);
  assert.deepEqual(ptrNames(await nslookup(await podIP('named'))), ['alpha.sub.default.svc.cluster.local']);
  // A pod behind ClusterIP Services: its endpoint name under each of them (as CoreDNS answers).
  const echoPod = (await k(['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[0].status.podIP}'])).trim();
  assert.deepEqual(ptrNames(await nslookup(echoPod)), ['echo', 'echo-lb', 'echo-np'].map((s) => `${dashed(echoPod)}.${s}.default.svc.cluster.local`).sort());
});

test('cluster DNS over TCP through 10.43.0.10; a UDP answer past 512 bytes is truncated (TC) and whole over TCP', { skip: needsPython }, async () => {
  const kubernetes = await askOverTcpFromPod('10.43.0.10', 'kubernetes.default.svc.cluster.local', T.A);
  assert.deepEqual({ tc: kubernetes.tc, rcode: kubernetes.rcode, answers: kubernetes.answers.map((a) => a.data) }, { tc: false, rcode: 0, answers: ['10.43.0.1'] });
  const all = Array.from({ length: 40 }, (_, i) => `10.77.1.${i + 1}`).sort();
  const name = 'many.default.svc.cluster.local';
  const addrs = (r: DnsReply): string[] => r.answers.filter((a) => a.type === T.A && a.name === name).map((a) => a.data).sort();
  // 40 A records are ~1.8 kB: over UDP (no EDNS) the answer is cut to 512 bytes with TC set…
  for (const [host, server] of [['worker1', '10.43.0.10'], ['client', NODE_IPS[2]!]] as const) {
    const udp = await askFromHost(host, server, 'udp', name, T.A);
    assert.ok(udp.tc, `TC from ${server} to ${host}`);
    assert.equal(udp.rcode, 0);
    assert.ok(udp.answers.length < 40, `${udp.answers.length} answers in a truncated reply`);
    // …and the same query over TCP returns every record.
    const tcp = await askFromHost(host, server, 'tcp', name, T.A);
    assert.deepEqual({ tc: tcp.tc, rcode: tcp.rcode, addrs: addrs(tcp) }, { tc: false, rcode: 0, addrs: all }, `TCP from ${host} to ${server}`);
  }
  const fromPodTcp = await askOverTcpFromPod('10.43.0.10', name, T.A);
  assert.deepEqual({ tc: fromPodTcp.tc, addrs: addrs(fromPodTcp) }, { tc: false, addrs: all });
});

/** ResolvConf is what a resolv.conf configures. */
interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}
const parseResolv = (text: string): ResolvConf => {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver') out.nameservers.push(...rest);
    else if (key === 'search') out.searches = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
};

test('dnsPolicy: Default and ClusterFirst on the host network get the node resolv.conf, None exactly its dnsConfig, ClusterFirstWithHostNet the cluster DNS', { skip }, async () => {
  const podResolv = async (pod: string): Promise<string> => k(['exec', pod, '--', 'cat', '/etc/resolv.conf']);
  const cluster = parseResolv(await podResolv('probe'));
  assert.deepEqual(cluster, { nameservers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
  // The node's resolv.conf is the file given to skiff as --resolv-conf (skiff lab writes one per host).
  const nodeFile = (host: string): string => {
    const argv = lab.state.hosts.find((h) => h.name === host)?.argv ?? [];
    return readFileSync(argv[argv.indexOf('--resolv-conf') + 1]!, 'utf8');
  };
  for (const [pod, host] of [['dns-default', 'worker1'], ['dns-hostnet', 'worker2']] as const) {
    const node = parseResolv(nodeFile(host));
    // The lab's file has no nameserver, search or option: the sandbox then gets an empty DNS config
    // and containerd copies the machine's /etc/resolv.conf instead (as it does for the kubelet).
    const empty = !node.nameservers.length && !node.searches.length && !node.options.length;
    const want = empty ? parseResolv(readFileSync('/etc/resolv.conf', 'utf8')) : node;
    const got = parseResolv(await podResolv(pod));
    assert.deepEqual(got, want, `${pod} has the node's resolver settings`);
    assert.ok(!got.nameservers.includes('10.43.0.10') && !got.searches.some((s) => s.endsWith('cluster.local')) && !got.options.includes('ndots:5'), `${pod} is not on cluster DNS: ${JSON.stringify(got)}`);
  }
  assert.equal((await podResolv('dns-none')).trim(), 'search lab.example default.svc.cluster.local\nnameserver 10.77.0.12\nnameserver 10.77.0.11\noptions ndots:2 edns0');
  // …and lookups use it: busybox nslookup asks the first nameserver and walks the search list for a
  // bare name (db.lab.example fails, db.default.svc.cluster.local answers)…
  const viaNone = await nslookup('db', 'dns-none');
  assert.match(viaNone, /^Server:\s+10\.77\.0\.12$/m);
  assert.deepEqual(addressesOf(viaNone, 'db.default.svc.cluster.local'), [await podIP('db-0'), await podIP('db-1')].sort());
  // …and glibc (wget) searches a name with fewer dots than ndots:2 too.
  assert.equal((await k(['exec', 'dns-none', '--', 'wget', '-qO-', 'http://db-0.db:8080/'])).trim(), 'db-0');
  assert.deepEqual(parseResolv(await podResolv('dns-hostnet-cluster')), cluster);
  // A host-network pod reaches the kube-dns ClusterIP from the node's network namespace.
  assert.deepEqual(addressesOf(await nslookup('kubernetes.default.svc.cluster.local', 'dns-hostnet-cluster'), 'kubernetes.default.svc.cluster.local'), ['10.43.0.1']);
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

test('in-cluster configuration: a pod with its mounted service-account token lists what its RBAC allows and is refused the rest', { skip }, async () => {
  await k(['create', 'namespace', 'incluster']);
  await k(['-n', 'incluster', 'create', 'serviceaccount', 'reader']);
  await k(['-n', 'incluster', 'create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods']);
  await k(['-n', 'incluster', 'create', 'rolebinding', 'reader-pods', '--role=pod-reader', '--serviceaccount=incluster:reader']);
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: api-client, namespace: incluster}
spec:
  serviceAccountName: reader
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: "skiff.local/api-client:1"}
`);
  await k(['-n', 'incluster', 'wait', '--for=condition=Ready', 'pod/api-client', '--timeout=90s'], 100_000);
  const inPod = (cmd: string[]): Promise<{ code: number; stdout: string; stderr: string }> => lab.kubectl(['-n', 'incluster', 'exec', 'api-client', '--', ...cmd], { timeoutMs: 30_000 });
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  const files = await inPod(['sh', '-c', `ls ${sa} && cat ${sa}/namespace && echo && echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`]);
  assert.match(files.stdout, /^ca\.crt$/m);
  assert.match(files.stdout, /^token$/m);
  assert.match(files.stdout, /^incluster$/m);
  assert.match(files.stdout, /^10\.43\.0\.1:443$/m);
  // kube-get is an in-cluster client: the mounted token as credentials, the mounted CA (and the
  // Service address in the certificate) to verify the API server.
  const api = async (path: string): Promise<string> => (await inPod(['kube-get', path])).stdout;
  const allowed = await api('/api/v1/namespaces/incluster/pods');
  assert.match(allowed, /^HTTP\/1\.1 200 /);
  assert.match(allowed, /"name":"api-client"/);
  const refused = await api('/api/v1/namespaces/incluster/secrets');
  assert.match(refused, /^HTTP\/1\.1 403 /);
  assert.match(refused, /secrets is forbidden: User \\"system:serviceaccount:incluster:reader\\" cannot list resource \\"secrets\\" in API group \\"\\" in the namespace \\"incluster\\"/);
  assert.match(await api('/api/v1/namespaces/default/pods'), /^HTTP\/1\.1 403 /);
  assert.match(await api('/apis/apps/v1/namespaces/incluster/deployments'), /^HTTP\/1\.1 403 /);
  // The token names the pod's ServiceAccount and the pod, as a TokenReview run by the admin shows.
  const token = (await inPod(['cat', `${sa}/token`])).stdout.trim();
  const review = JSON.parse(await lab.kubectlOk(['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'], { input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }) })) as { status: { authenticated: boolean; user: { username: string; extra?: Record<string, string[]> } } };
  assert.equal(review.status.authenticated, true);
  assert.equal(review.status.user.username, 'system:serviceaccount:incluster:reader');
  assert.deepEqual(review.status.user.extra?.['authentication.kubernetes.io/pod-name'], ['api-client']);
  await k(['delete', 'namespace', 'incluster', '--wait=false']);
});
