import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureDataDir } from './data_dir.js';

test('secureDataDir closes state and credentials, leaves pod volumes alone, and repairs only once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-datadir-'));
  try {
    const file = (p: string, mode: number): void => {
      mkdirSync(join(dir, p, '..'), { recursive: true, mode: 0o755 });
      writeFileSync(join(dir, p), 'x', { mode });
      chmodSync(join(dir, p), mode);
    };
    file('server/db/state.db', 0o644);
    file('server/db/state.db-wal', 0o644);
    file('server/tls/client-ca.crt', 0o644);
    file('server/token', 0o600);
    file('agent/client-kubelet.key', 0o644);
    file('agent/etc/containerd/config.toml', 0o644);
    file('agent/ingress/nginx.conf', 0o644);
    file('agent/pods/uid/volumes/data/file', 0o666);
    file('config.yaml', 0o644);
    file('elsewhere.db', 0o644);
    for (const d of ['', 'server', 'server/db', 'agent', 'agent/pods', 'agent/pods/uid/volumes/data']) chmodSync(join(dir, d), 0o755);
    chmodSync(join(dir, 'agent/pods/uid/volumes/data'), 0o777);
    symlinkSync('/etc/hostname', join(dir, 'server', 'link'));

    const hostnameMode = statSync('/etc/hostname').mode;
    const repairs = secureDataDir(dir, [join(dir, 'elsewhere.db')]);
    const mode = (p: string): string => (statSync(join(dir, p)).mode & 0o7777).toString(8);
    assert.equal(mode('server'), '700');
    assert.equal(mode('server/db'), '700');
    assert.equal(mode('server/db/state.db'), '600');
    assert.equal(mode('server/db/state.db-wal'), '600');
    assert.equal(mode('server/tls/client-ca.crt'), '600');
    assert.equal(mode('agent/client-kubelet.key'), '600');
    assert.equal(mode('agent/etc/containerd/config.toml'), '600');
    assert.equal(mode('agent/ingress/nginx.conf'), '600');
    assert.equal(mode('config.yaml'), '600');
    assert.equal(mode('elsewhere.db'), '600');
    assert.equal(mode(''), '711');
    assert.equal(mode('agent'), '711');
    assert.equal(mode('agent/pods'), '700');
    assert.equal(mode('agent/pods/uid/volumes/data'), '777', 'a volume keeps the mode its pod asked for');
    assert.equal(mode('agent/pods/uid/volumes/data/file'), '666');
    assert.ok(repairs.some((r) => r.path.endsWith('state.db') && r.from === 0o644 && r.to === 0o600));
    assert.equal(statSync('/etc/hostname').mode, hostnameMode, 'a symlink is not followed');
    assert.deepEqual(secureDataDir(dir, [join(dir, 'elsewhere.db')]), [], 'nothing left to repair');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
