import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, mkdir, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cniConflist, cniConfPath, findCniBinDir, writeCniConfig } from './cni_config.js';

test('cniConflist: bridge with host-local over the pod CIDR, then portmap', () => {
  assert.deepEqual(cniConflist({ podCIDR: '10.42.1.0/24', dataDir: '/var/lib/skiff' }), {
    cniVersion: '1.0.0',
    name: 'skiff',
    plugins: [
      {
        type: 'bridge',
        bridge: 'skiff0',
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.42.1.0/24' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/var/lib/skiff/agent/cni/ipam' },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  });
});

test('writeCniConfig writes 10-skiff.conflist under the data dir', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-cni-'));
  try {
    const path = await writeCniConfig({ podCIDR: '10.42.3.0/24', dataDir: dir });
    assert.equal(path, join(dir, 'agent/etc/cni/net.d/10-skiff.conflist'));
    assert.equal(path, cniConfPath(dir));
    const conf = JSON.parse(await readFile(path, 'utf8')) as { plugins: { ipam?: { ranges: { subnet: string }[][] } }[] };
    assert.equal(conf.plugins[0]?.ipam?.ranges[0]?.[0]?.subnet, '10.42.3.0/24');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('findCniBinDir finds the folder with every plugin, or names the Debian package', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-cnibin-'));
  try {
    const partial = join(dir, 'partial');
    const full = join(dir, 'full');
    for (const [d, plugins] of [[partial, ['bridge']], [full, ['bridge', 'host-local', 'portmap', 'loopback']]] as const) {
      await mkdir(d);
      for (const p of plugins) {
        await writeFile(join(d, p), '#!/bin/sh\n');
        await chmod(join(d, p), 0o755);
      }
    }
    assert.equal(await findCniBinDir([partial, full]), full);
    await assert.rejects(findCniBinDir([partial]), /install containernetworking-plugins/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
