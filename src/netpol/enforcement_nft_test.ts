// Packets through the rendered table: three "pods" (network namespaces) on one bridge, as the CNI
// bridge wires them, in namespaces this test makes and removes (design.md §7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/types.js';
import { netpolModel } from './model.js';
import { buildTable, renderFull } from './ruleset.js';
import { namespace, pod, policy } from './netpol_fixtures_test_helper.js';

const runnable = process.getuid?.() === 0 && spawnSync('nft', ['--version']).status === 0 && spawnSync('busybox', ['true']).status === 0;
const tag = `snp${process.pid}`;
const node = `${tag}-node`;
const PODS = { a: '10.42.1.2', b: '10.42.1.3', c: '10.42.1.4' } as const;
const sh = (ns: string, script: string): string => execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'sh', '-c', script], { encoding: 'utf8', timeout: 10_000 });

/** reach says whether `from` gets an answer from http://<to>:<port>/ within 3 s (a refusal is quicker). */
function reach(from: keyof typeof PODS, to: keyof typeof PODS, port: number): boolean {
  return spawnSync('nsenter', [`--net=/run/netns/${tag}-${from}`, 'timeout', '3', 'busybox', 'wget', '-qO-', `http://${PODS[to]}:${port}/`], { encoding: 'utf8', timeout: 10_000 }).stdout.trim() === 'ok';
}

test('policies hold for bridged pod-to-pod traffic: default deny, namespace and port rules, egress', { skip: !runnable }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-netpol-'));
  writeFileSync(join(dir, 'index.html'), 'ok\n');
  const servers: ChildProcess[] = [];
  const made: string[] = [];
  try {
    for (const n of [node, ...Object.keys(PODS).map((p) => `${tag}-${p}`)]) {
      execFileSync('ip', ['netns', 'add', n]);
      made.push(n);
    }
    sh(node, 'ip link add br0 type bridge && ip link set br0 up && ip addr add 10.42.1.1/24 dev br0 && echo 1 > /proc/sys/net/ipv4/ip_forward && echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables');
    for (const [p, ip] of Object.entries(PODS)) {
      execFileSync('ip', ['-n', node, 'link', 'add', `v${p}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', `${tag}-${p}`]);
      sh(node, `ip link set v${p} master br0 up`);
      sh(`${tag}-${p}`, `ip link set lo up && ip link set eth0 up && ip addr add ${ip}/24 dev eth0 && ip route add default via 10.42.1.1`);
      for (const port of [8080, 9000]) servers.push(spawn('nsenter', [`--net=/run/netns/${tag}-${p}`, 'busybox', 'httpd', '-f', '-p', String(port), '-h', dir], { stdio: 'ignore' }));
    }
    const namespaces = [namespace('prod'), namespace('dev', { team: 'b' })];
    const pods = [pod('prod', 'a', 'n1', PODS.a, { app: 'web' }, [{ name: 'http', containerPort: 8080 }]), pod('prod', 'b', 'n1', PODS.b, { app: 'db' }), pod('dev', 'c', 'n1', PODS.c, { app: 'client' })];
    const apply = (policies: KubeObject[]): void => void execFileSync('nsenter', [`--net=/run/netns/${node}`, 'nft', '-f', '-'], { input: renderFull(buildTable(netpolModel({ policies, pods, namespaces, nodeName: 'n1' }))) });
    const waitFor = (): void => {
      for (let i = 0; i < 50 && !reach('c', 'a', 8080); i++) execFileSync('sleep', ['0.1']);
    };
    apply([]);
    waitFor();
    assert.deepEqual([reach('c', 'a', 8080), reach('a', 'b', 9000)], [true, true], 'no policy: all open');

    apply([policy('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })]);
    const started = Date.now();
    assert.deepEqual([reach('c', 'a', 8080), reach('a', 'b', 9000), reach('a', 'c', 8080)], [false, false, true], 'prod refuses; dev is open');
    assert.ok(Date.now() - started < 2_500, `refusals are immediate (${Date.now() - started} ms)`);

    const allowDev = policy('prod', 'from-dev', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }], ports: [{ protocol: 'TCP', port: 'http' }] }] });
    apply([policy('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }), allowDev]);
    assert.deepEqual([reach('c', 'a', 8080), reach('c', 'a', 9000), reach('b', 'a', 8080)], [true, false, false], 'dev reaches the named port only');

    apply([policy('dev', 'no-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.42.1.0/24', except: ['10.42.1.3/32'] } }] }] })]);
    assert.deepEqual([reach('c', 'a', 9000), reach('c', 'b', 9000), reach('a', 'c', 8080)], [true, false, true], 'egress by ipBlock with except; replies to inbound flows pass');
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    for (const n of made.reverse()) spawnSync('ip', ['netns', 'delete', n]);
    rmSync(dir, { recursive: true, force: true });
  }
});
