import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { formatChecks, moduleState, runChecks, type HostView } from './check_config.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** fakeHost builds a machine from files (path → content) and the programs it has. */
function fakeHost(files: Record<string, string | Buffer>, programs: string[], kernelRelease = '6.1.0-18-amd64'): HostView {
  const root = mkdtempSync(join(tmpdir(), 'skiff-check-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, kernelRelease, findProgram: (n) => (programs.includes(n) ? `/usr/bin/${n}` : undefined), programVersion: () => 'v1' };
}

const cni: Record<string, string> = Object.fromEntries(['bridge', 'host-local', 'portmap', 'loopback'].map((p) => [`/usr/lib/cni/${p}`, '']));
const healthy: Record<string, string> = {
  '/proc/modules': 'overlay 151552 0 - Live 0x0\nbridge 311296 1 br_netfilter, Live 0x0\n',
  '/sys/module/br_netfilter/refcnt': '0',
  '/lib/modules/6.1.0-18-amd64/modules.builtin': 'kernel/net/netfilter/nf_tables.ko\n',
  '/lib/modules/6.1.0-18-amd64/modules.dep': 'kernel/drivers/net/veth.ko.xz:\n',
  '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
  ...cni,
};
const programs = ['nft', 'ip', 'containerd', 'runc', 'nginx'];

describe('check-config', () => {
  it('finds modules loaded, built in, loadable, from the kernel config, or missing', () => {
    const host = fakeHost({ ...healthy, '/proc/config.gz': gzipSync('CONFIG_VETH=m\nCONFIG_OVERLAY_FS=y\n') }, programs);
    assert.equal(moduleState(host, 'overlay'), 'loaded');
    assert.equal(moduleState(host, 'br_netfilter'), 'loaded');
    assert.equal(moduleState(host, 'nf_tables'), 'built-in');
    assert.equal(moduleState(host, 'veth'), 'loadable');
    assert.equal(moduleState(fakeHost({ '/proc/config.gz': gzipSync('CONFIG_BRIDGE=y\n') }, []), 'bridge'), 'built-in');
    assert.equal(moduleState(fakeHost({}, []), 'bridge'), 'missing');
  });

  it('passes a healthy machine', () => {
    const results = runChecks(fakeHost(healthy, programs));
    assert.deepEqual(results.filter((r) => !r.ok), []);
    assert.match(formatChecks(results), /^kernel: ok \(6\.1\.0-18-amd64\)$/m);
    assert.match(formatChecks(results), /^cni plugin portmap: ok \(\/usr\/lib\/cni\/portmap\)$/m);
  });

  it('names what is missing and how to install it', () => {
    const noPortmap = { ...healthy };
    delete noPortmap['/usr/lib/cni/portmap'];
    const results = runChecks(fakeHost({ ...noPortmap, '/sys/fs/cgroup/cgroup.controllers': 'cpu memory\n' }, ['ip', 'containerd', 'runc'], '4.19.0-1-amd64'));
    const out = formatChecks(results);
    assert.match(out, /^kernel: missing: 4\.19\.0-1-amd64 \(need 5\.4 or newer\)$/m);
    assert.match(out, /^cgroup controller pids: missing/m);
    assert.match(out, /^nft: missing \(apt-get install nftables\)$/m);
    assert.match(out, /^cni plugin portmap: missing \(apt-get install containernetworking-plugins\)$/m);
    assert.match(out, /^nginx: missing \(apt-get install nginx-light\) \[optional: needed for the ingress\]$/m);
    assert.equal(results.find((r) => r.name === 'nginx')?.required, false);
  });

  it('reads cgroup v1 controllers from /proc/cgroups', () => {
    const v1 = { ...healthy };
    delete v1['/sys/fs/cgroup/cgroup.controllers'];
    const results = runChecks(fakeHost({ ...v1, '/proc/cgroups': '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t2\t1\t1\nmemory\t3\t1\t1\npids\t4\t1\t0\n' }, programs));
    assert.equal(results.find((r) => r.name === 'cgroup controller memory')?.ok, true);
    assert.equal(results.find((r) => r.name === 'cgroup controller pids')?.ok, false);
  });
});
