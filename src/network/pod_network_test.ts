// Integration: the pod network applied inside a network namespace made by this test (never the
// machine's own): nft table, routes kept in step with Nodes, CNI config, cleanup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../client/client.js';
import { fakeApi } from '../client/testing/fake_api_test_helper.js';
import { silentLogger } from '../lib/log.js';
import { runCommand, type CommandRunner } from './command.js';
import { cleanupPodNetwork, startPodNetwork } from './pod_network.js';

const NS = `skiff-nt-${process.pid}`;
const PEER = `${NS}-p`;

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const tool of ['ip', 'nft', 'nsenter']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

const inNs: CommandRunner = (cmd, args, input) => runCommand('nsenter', [`--net=/run/netns/${NS}`, '--', cmd, ...args], input);
const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });

async function eventually(what: string, fn: () => Promise<void>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`timed out waiting for ${what}: ${(last as Error).message}`);
}

function nodeObj(name: string, podCIDR: string, ip: string): { metadata: { name: string }; spec: { podCIDR: string }; status: { addresses: { type: string; address: string }[] } } {
  return { metadata: { name }, spec: { podCIDR }, status: { addresses: [{ type: 'InternalIP', address: ip }] } };
}

test('pod network in a test namespace: nft table, routes that follow Nodes, conflist, cleanup', { skip: skipReason() }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-net-'));
  const api = await fakeApi();
  const stop = new AbortController();
  try {
    sh('ip', ['netns', 'add', NS]);
    sh('ip', ['netns', 'add', PEER]);
    // A link to a peer namespace makes 10.77.0.0/24 on-link, so `via 10.77.0.1N` is valid.
    sh('ip', ['-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', PEER]);
    sh('ip', ['-n', NS, 'addr', 'add', '10.77.0.10/24', 'dev', 'eth0']);
    sh('ip', ['-n', NS, 'link', 'set', 'eth0', 'up']);
    await mkdir(join(dir, 'proc/sys/net/ipv4'), { recursive: true });
    const nodes = api.client.resource(R.nodes);
    for (const [n, cidr, ip] of [['me', '10.42.0.0/24', '10.77.0.10'], ['w1', '10.42.1.0/24', '10.77.0.11'], ['w2', '10.42.2.0/24', '10.77.0.12']] as const) {
      const created = await nodes.create('', nodeObj(n, cidr, ip));
      await nodes.updateStatus({ ...created, status: nodeObj(n, cidr, ip).status });
    }
    await writeFile(join(dir, 'proc/sys/net/ipv4/ip_forward'), '0\n');
    const net = await startPodNetwork({ client: api.client, nodeName: 'me', nodeIP: '10.77.0.10', clusterCIDR: '10.42.0.0/16', dataDir: join(dir, 'data'), logger: silentLogger, signal: stop.signal, run: inNs, procRoot: join(dir, 'proc') });
    await net.synced();
    assert.equal(net.podCIDR(), '10.42.0.0/24');
    assert.equal(await readFile(join(dir, 'proc/sys/net/ipv4/ip_forward'), 'utf8'), '1\n');
    const conf = JSON.parse(await readFile(join(dir, 'data/agent/etc/cni/net.d/10-skiff.conflist'), 'utf8')) as { plugins: { ipam?: { ranges: { subnet: string }[][] } }[] };
    assert.equal(conf.plugins[0]?.ipam?.ranges[0]?.[0]?.subnet, '10.42.0.0/24');
    const table = (await inNs('nft', ['list', 'table', 'ip', 'skiff-net'])).stdout;
    assert.match(table, /ip saddr 10\.42\.0\.0\/16 ip daddr != 10\.42\.0\.0\/16 ip daddr != 224\.0\.0\.0\/4 masquerade/);
    assert.match(table, /type filter hook forward priority filter; policy accept;/);
    const routes = (await inNs('ip', ['route', 'show', 'proto', '152'])).stdout;
    assert.match(routes, /^10\.42\.1\.0\/24 via 10\.77\.0\.11 dev eth0/m);
    assert.match(routes, /^10\.42\.2\.0\/24 via 10\.77\.0\.12 dev eth0/m);
    assert.doesNotMatch(routes, /10\.42\.0\.0/);

    await nodes.delete('', 'w2', { gracePeriodSeconds: 0 });
    await eventually('the deleted node\'s route to go', async () => assert.doesNotMatch((await inNs('ip', ['route'])).stdout, /10\.42\.2\.0/));

    net.stop();
    sh('ip', ['-n', NS, 'link', 'add', 'skiff0', 'type', 'bridge']);
    await cleanupPodNetwork({ run: inNs });
    await assert.rejects(inNs('nft', ['list', 'table', 'ip', 'skiff-net']));
    assert.equal((await inNs('ip', ['route', 'show', 'proto', '152'])).stdout.trim(), '');
    assert.doesNotMatch((await inNs('ip', ['link'])).stdout, /skiff0/);
    await cleanupPodNetwork({ run: inNs }); // twice is fine
  } finally {
    stop.abort();
    api.stop();
    for (const ns of [NS, PEER]) {
      try {
        sh('ip', ['netns', 'del', ns]);
      } catch {
        /* not created */
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
});
