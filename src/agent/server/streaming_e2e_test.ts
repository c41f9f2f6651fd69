// Real kubectl (1.32 and 1.20) → API server → kubelet API → containerd's streaming server, all
// inside a throwaway network namespace: logs, exec, cp and port-forward on a busybox pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../lib/log.js';
import { findExecutable } from '../containerd/prerequisites.js';
import { startContainerd, type ContainerdHandle } from '../containerd/supervisor.js';
import { buildBusyboxImage } from '../images/busybox_image.js';
import { importImage } from '../images/import.js';
import { defaultPauseImage, ensurePauseImage } from '../images/pause.js';

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

async function cleanup(handle: ContainerdHandle | undefined, dataDir: string, ns: string, children: ChildProcess[]): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGKILL');
  if (handle) {
    await handle.stop();
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes('containerd-shim') && cmd.includes(handle.socket)) process.kill(Number(pid), 'SIGKILL');
    }
    const roots = [dataDir, handle.paths.state];
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '');
    for (const m of mounts.filter((m) => roots.some((r) => m.startsWith(r))).reverse()) spawnSync('umount', ['-l', m]);
    rmSync(dirname(handle.paths.state), { recursive: true, force: true });
  }
  rmSync(dataDir, { recursive: true, force: true });
  spawnSync('ip', ['netns', 'del', ns]);
}

test('kubectl logs, exec, cp and port-forward reach a containerd pod through the kubelet API', { skip, timeout: 180_000 }, async () => {
  const ns = `skiff-s-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('nsenter', [`--net=/run/netns/${ns}`, '--', 'ip', 'link', 'set', 'lo', 'up']);
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-stream-'));
  const ctl = new AbortController();
  const children: ChildProcess[] = [];
  let handle: ContainerdHandle | undefined;
  try {
    handle = await startContainerd({ dataDir, logger: silentLogger, sandboxImage: defaultPauseImage, signal: ctl.signal, wrapper: ['nsenter', `--net=/run/netns/${ns}`, '--'], startTimeoutMs: 30_000 });
    const ctr = { socket: handle.socket, snapshotter: handle.snapshotter };
    writeFileSync(join(dataDir, 'busybox.tar'), buildBusyboxImage().tar);
    const imported = await importImage(join(dataDir, 'busybox.tar'), ctr);
    assert.ok(imported.ok, imported.error);
    await ensurePauseImage({ ...ctr, tmpDir: dataDir });
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
    ctl.abort();
    await cleanup(handle, dataDir, ns, children);
  }
});
