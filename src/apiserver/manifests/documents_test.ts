import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addonName, isManifestFile, splitManifest } from './documents.js';

describe('splitManifest', () => {
  const cases: { name: string; text: string; want: string[] }[] = [
    { name: 'one document', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', want: ['ConfigMap/a'] },
    {
      name: 'several documents, empty ones skipped',
      text: '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b, namespace: x}\n---\n',
      want: ['ConfigMap/a', 'Deployment/b'],
    },
    { name: 'JSON', text: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}', want: ['Secret/s'] },
    {
      name: 'a List is flattened',
      text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n',
      want: ['ConfigMap/a', 'ConfigMap/b'],
    },
    { name: 'an empty file', text: '', want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(splitManifest(c.text).map((o) => `${o.kind}/${o.metadata.name}`), c.want);
    });
  }

  const bad: { name: string; text: string; want: RegExp }[] = [
    { name: 'malformed YAML', text: 'apiVersion: v1\nkind: [unclosed\n', want: /document 1: .*line 3/ },
    { name: 'no kind', text: 'apiVersion: v1\nmetadata: {name: a}\n', want: /document 1: Object 'Kind' is missing/ },
    { name: 'no apiVersion in the second document', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\n', want: /document 2: Object 'apiVersion' is missing/ },
    { name: 'no name', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', want: /ConfigMap has no metadata.name/ },
    { name: 'a scalar document', text: 'hello\n', want: /must be an object/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => {
      assert.throws(() => splitManifest(c.text), c.want);
    });
  }
});

describe('manifest file names', () => {
  it('reads yaml, yml and json, not skip files or dot files', () => {
    assert.deepEqual(['a.yaml', 'b.yml', 'c.json', 'a.yaml.skip', '.a.yaml', 'notes.txt'].filter(isManifestFile), ['a.yaml', 'b.yml', 'c.json']);
  });
  it('names an addon after the file base name', () => {
    assert.equal(addonName('/x/server/manifests/sub/my-app.yaml'), 'my-app');
    assert.equal(addonName('dns.json'), 'dns');
  });
});
