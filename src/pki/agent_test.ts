import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

describe('pki/agent.ts', () => {
  it('loads no @peculiar/x509 (agents never issue certificates)', () => {
    const agent = fileURLToPath(new URL('./agent.js', import.meta.url));
    // The x509 packages are CommonJS: whatever loaded shows in require.cache.
    const script = `await import(${JSON.stringify(agent)});
      const { createRequire } = await import('node:module');
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[];
    assert.deepEqual(loaded.filter((p) => /@peculiar|tsyringe|reflect-metadata|asn1/.test(p)), []);
  });
});
