import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildOciImage } from './oci_tar.js';
import { tarArchive, withParentDirs } from './tar.js';
import { importedNames, isImageArchive } from './import.js';

function extract(tar: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-oci-'));
  writeFileSync(join(dir, 'a.tar'), tar);
  const r = spawnSync('tar', ['-xf', 'a.tar', '-C', dir], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

test('tarArchive writes files, dirs, symlinks and long paths that tar reads back', () => {
  const long = `${'d'.repeat(90)}/${'e'.repeat(60)}/file.txt`;
  const dir = extract(tarArchive(withParentDirs([
    { type: 'file', path: 'bin/tool', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
    { type: 'symlink', path: 'bin/alias', target: 'tool' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'file', path: long, data: Buffer.alloc(1000, 1) },
  ])));
  try {
    assert.equal(readFileSync(join(dir, 'bin/tool'), 'utf8'), '#!/bin/sh\n');
    assert.equal(statSync(join(dir, 'bin/tool')).mode & 0o777, 0o755);
    assert.equal(readlinkSync(join(dir, 'bin/alias')), 'tool');
    assert.equal(readFileSync(join(dir, long)).length, 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('buildOciImage writes a consistent, deterministic OCI layout', () => {
  const spec = {
    name: 'skiff.local/demo:1.0',
    layers: [[{ type: 'file' as const, path: 'hello', data: Buffer.from('hi') }]],
    config: { cmd: ['/hello'], exposedPorts: ['80/tcp'] },
    architecture: 'amd64',
  };
  const image = buildOciImage(spec);
  assert.deepEqual(buildOciImage(spec).tar, image.tar);
  const dir = extract(image.tar);
  try {
    const blob = (d: string): Buffer => readFileSync(join(dir, 'blobs/sha256', d.replace('sha256:', '')));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    const desc = index.manifests[0];
    assert.equal(desc.digest, image.manifestDigest);
    assert.equal(desc.annotations['io.containerd.image.name'], 'skiff.local/demo:1.0');
    assert.equal(desc.annotations['org.opencontainers.image.ref.name'], '1.0');
    const manifest = JSON.parse(blob(desc.digest).toString());
    assert.equal(sha(blob(desc.digest)), desc.digest);
    assert.equal(manifest.config.digest, image.configDigest);
    const config = JSON.parse(blob(manifest.config.digest).toString());
    assert.equal(config.architecture, 'amd64');
    assert.deepEqual(config.config.Cmd, ['/hello']);
    assert.deepEqual(config.config.ExposedPorts, { '80/tcp': {} });
    const layer = blob(manifest.layers[0].digest);
    assert.equal(manifest.layers[0].size, layer.length);
    assert.deepEqual(config.rootfs.diff_ids, [sha(gunzipSync(layer))]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import helpers: archive names and ctr output', () => {
  assert.deepEqual(['a.tar', 'b.tar.gz', 'c.tgz', 'd.txt', 'e.tar.zst'].filter(isImageArchive), ['a.tar', 'b.tar.gz', 'c.tgz']);
  const out = 'unpacking skiff.local/busybox:1.35 (sha256:abc123)...done\nunpacking docker.io/library/x:1 (sha256:ff)...done\n';
  assert.deepEqual(importedNames(out), ['skiff.local/busybox:1.35', 'docker.io/library/x:1']);
});
