// Real kubectl (1.32 and 1.20) → API server → kubelet API → containerd's streaming server, all
// inside a throwaway network namespace: logs, exec, cp and port-forward on a busybox pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTestImages, withNetnsContainerd } from '../containerd/netns_containerd_test_helper.js';
import { findExecutable } from '../containerd/prerequisites.js';

const KUBECTLS = [['1.32', '/usr/bin/kubectl'], ['1.20', '/usr/local/lib/skiff-test/kubectl-1.20']].filter(([, p]) => existsSync(p!)) as [string, string][];
const skip = process.getuid?.() !== 0
  ? 'needs root (runs containerd)'
  : !findExecutable('containerd') || !findExecutable('runc') || !findExecutable('nsenter') || !findExecutable('ip') || !existsSync('/bin/busybox')
    ? 'needs containerd, runc, nsenter, ip and /bin/busybox'
    : KUBECTLS.length === 0 ? 'no kubectl' : false;

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'streaming_e2e_node_test_helper.js');

/** inNs runs a command inside the namespace and resolves with its exit code and output (20 s at most). */
function inNs(ns: string, cmd: string[], timeout = 20_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('nsenter', [`--net=/run/netns/${ns}`, '--', ...cmd], { timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** waitFor resolves when the child's output matches re, rejecting after ms. */
function waitFor(child: ChildProcess, re: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(re)}; output: ${out}`)), ms);
    const on = (d: Buffer): void => {
      out += d.toString();
      if (re.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before ${String(re)}: ${out}`));
    });
  });
}

test('kubectl logs, exec, cp and port-forward reach a containerd pod through the kubelet API', { skip, timeout: 180_000 }, async () => {
  const ns = `skiff-s-${randomBytes(3).toString('hex')}`;
  // The node process runs the pod itself: no sandbox cleanup through CRI, its children are killed first.
  await withNetnsContainerd({ ns, dataDirPrefix: 'skiff-stream-', loopbackUp: true, removeSandboxes: false }, async (c) => {
    const { dataDir, handle } = c;
    const children: ChildProcess[] = [];
    try {
      const imported = await importTestImages(c);
      assert.ok(imported.ok, imported.error);
      const logsDir = join(dataDir, 'logs');
      mkdirSync(logsDir);
      const script = 'echo hello from web; mkdir -p /www; echo hello-pf > /www/index.html; exec httpd -f -p 8080 -h /www';
      writeFileSync(join(dataDir, 'node.json'), JSON.stringify({ dir: dataDir, socket: handle.socket, logsDir, image: 'skiff.local/busybox:1.35', command: ['sh', '-c', script] }));
      const node = spawn('nsenter', [`--net=/run/netns/${ns}`, '--', process.execPath, CHILD, join(dataDir, 'node.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(node);
      await waitFor(node, /READY/, 60_000);
      const kc = ['--kubeconfig', join(dataDir, 'kubeconfig')];
      for (const [version, bin] of KUBECTLS) {
        const logs = await inNs(ns, [bin, ...kc, 'logs', 'web']);
        assert.deepEqual(logs, { code: 0, out: 'hello from web\n' }, `${version} logs`);
        const exec = await inNs(ns, [bin, ...kc, 'exec', 'web', '--', 'echo', 'hi']);
        assert.deepEqual(exec, { code: 0, out: 'hi\n' }, `${version} exec`);
        const status = await inNs(ns, [bin, ...kc, 'exec', 'web', '--', 'sh', '-c', 'echo oops >&2; exit 3']);
        assert.equal(status.code, 3, `${version} exec exit code: ${status.out}`);
        assert.match(status.out, /oops/);
        const copied = join(dataDir, `copied-${version}.html`);
        const cp = await inNs(ns, [bin, ...kc, 'cp', 'web:/www/index.html', copied]);
        assert.equal(cp.code, 0, `${version} cp: ${cp.out}`);
        assert.equal(readFileSync(copied, 'utf8'), 'hello-pf\n');
        const pf = spawn('nsenter', [`--net=/run/netns/${ns}`, '--', bin, ...kc, 'port-forward', 'pod/web', '18080:8080'], { stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(pf);
        await waitFor(pf, /Forwarding from 127\.0\.0\.1:18080/, 20_000);
        const fetched = await inNs(ns, ['/bin/busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1:18080/index.html']);
        pf.kill('SIGTERM');
        assert.deepEqual(fetched, { code: 0, out: 'hello-pf\n' }, `${version} port-forward`);
      }
    } finally {
      for (const ch of children) if (ch.exitCode === null && ch.pid) ch.kill('SIGKILL');
    }
  });
});
