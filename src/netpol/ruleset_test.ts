import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyModel } from './model.js';
import { buildTable, renderChanges, renderFull } from './ruleset.js';

const web: PolicyModel = {
  id: 'prod-web-1',
  targets: ['10.42.1.2'],
  ingress: [
    { peers: { pods: ['10.42.2.5'], blocks: ['192.0.2.0-192.0.2.255'] }, ports: { protocols: [], numbered: ['tcp . 80'], named: ['10.42.1.2 . tcp . 8080'] } },
    { peers: undefined, ports: { protocols: ['udp'], numbered: [], named: undefined } },
  ],
  egress: [{ peers: undefined, ports: undefined }],
};

test('buildTable: a chain per policy and direction, a rule per peer match and port match, sets per rule', () => {
  const t = buildTable([web]);
  assert.deepEqual(t.chains.get('prod-web-1-in'), [
    'ip saddr @prod-web-1-in0-pods meta l4proto . th dport { tcp . 80 } accept',
    'ip saddr @prod-web-1-in0-pods ip daddr . meta l4proto . th dport @prod-web-1-in0-named accept',
    'ip saddr @prod-web-1-in0-blocks meta l4proto . th dport { tcp . 80 } accept',
    'ip saddr @prod-web-1-in0-blocks ip daddr . meta l4proto . th dport @prod-web-1-in0-named accept',
    'meta l4proto { udp } accept',
  ]);
  assert.deepEqual(t.chains.get('prod-web-1-eg'), ['accept']);
  assert.deepEqual(t.chains.get('ingress'), ['ip daddr @prod-web-1-targets jump prod-web-1-in', 'meta l4proto tcp reject with tcp reset', 'reject']);
  assert.deepEqual(t.chains.get('egress'), ['ip saddr @prod-web-1-targets jump prod-web-1-eg', 'meta l4proto tcp reject with tcp reset', 'reject']);
  assert.deepEqual(t.sets.get('prod-web-1-in0-blocks'), { kind: 'interval', elements: ['192.0.2.0-192.0.2.255'] });
  assert.deepEqual(t.sets.get('ingress-isolated')?.elements, ['10.42.1.2']);
  assert.deepEqual(t.sets.get('egress-isolated')?.elements, ['10.42.1.2']);
});

test('a policy with no rules of a type isolates its pods for that type with an empty chain', () => {
  const t = buildTable([{ id: 'p', targets: ['10.42.1.3'], ingress: [], egress: undefined }]);
  assert.deepEqual(t.chains.get('p-in'), []);
  assert.equal(t.chains.has('p-eg'), false);
  assert.deepEqual(t.sets.get('egress-isolated')?.elements, []);
});

test('renderFull replaces the table whole, with base chains on forward and input', () => {
  const text = renderFull(buildTable([web]));
  assert.match(text, /^add table ip skiff-netpol\ndelete table ip skiff-netpol\ntable ip skiff-netpol \{\n/);
  assert.match(text, /chain forward-ingress \{\n    type filter hook forward priority filter; policy accept;\n    ct state established,related accept\n    ip daddr @ingress-isolated jump ingress\n  \}/);
  assert.match(text, /chain input-egress \{\n    type filter hook input priority filter; policy accept;\n    ct state established,related accept\n    ip saddr @egress-isolated jump egress\n  \}/);
  assert.match(text, /set prod-web-1-in0-blocks \{\n    type ipv4_addr; flags interval; elements = \{ 192\.0\.2\.0-192\.0\.2\.255 \}\n  \}/);
  // The policy chains come before the chains that jump to them.
  assert.ok(text.indexOf('chain prod-web-1-in {') < text.indexOf('chain ingress {'));
});

test('renderChanges: pod churn is set elements only; a new policy adds its sets and chains; a gone one is removed last', () => {
  const a = buildTable([web]);
  const moved: PolicyModel = { ...web, ingress: [{ ...web.ingress![0]!, peers: { pods: ['10.42.2.6'], blocks: ['192.0.2.0-192.0.2.255'] } }, web.ingress![1]!] };
  assert.equal(renderChanges(a, buildTable([moved])), [
    'delete element ip skiff-netpol prod-web-1-in0-pods { 10.42.2.5 }',
    'add element ip skiff-netpol prod-web-1-in0-pods { 10.42.2.6 }',
    '',
  ].join('\n'));
  assert.equal(renderChanges(a, buildTable([web])), '', 'nothing changed');
  const db: PolicyModel = { id: 'prod-db-2', targets: ['10.42.1.3'], ingress: [{ peers: { pods: undefined, blocks: ['10.0.0.0-10.0.0.255'] }, ports: undefined }], egress: undefined };
  const both = buildTable([db, web]);
  assert.equal(renderChanges(a, both), [
    'add set ip skiff-netpol prod-db-2-targets { type ipv4_addr; }',
    'add set ip skiff-netpol prod-db-2-in0-blocks { type ipv4_addr; flags interval; }',
    'add chain ip skiff-netpol prod-db-2-in',
    'add rule ip skiff-netpol prod-db-2-in ip saddr @prod-db-2-in0-blocks accept',
    'flush chain ip skiff-netpol ingress',
    'add rule ip skiff-netpol ingress ip daddr @prod-db-2-targets jump prod-db-2-in',
    'add rule ip skiff-netpol ingress ip daddr @prod-web-1-targets jump prod-web-1-in',
    'add rule ip skiff-netpol ingress meta l4proto tcp reject with tcp reset',
    'add rule ip skiff-netpol ingress reject',
    'add element ip skiff-netpol prod-db-2-targets { 10.42.1.3 }',
    'add element ip skiff-netpol prod-db-2-in0-blocks { 10.0.0.0-10.0.0.255 }',
    'add element ip skiff-netpol ingress-isolated { 10.42.1.3 }',
    '',
  ].join('\n'));
  const back = renderChanges(both, buildTable([web]));
  assert.match(back, /flush chain ip skiff-netpol prod-db-2-in\n/);
  assert.match(back, /delete chain ip skiff-netpol prod-db-2-in\ndelete set ip skiff-netpol prod-db-2-targets\ndelete set ip skiff-netpol prod-db-2-in0-blocks\n$/);
  // An interval set is refilled whole.
  const widened: PolicyModel = { ...db, ingress: [{ peers: { pods: undefined, blocks: ['10.0.0.0-10.0.1.255'] }, ports: undefined }] };
  assert.match(renderChanges(both, buildTable([widened, web])), /flush set ip skiff-netpol prod-db-2-in0-blocks\nadd element ip skiff-netpol prod-db-2-in0-blocks \{ 10\.0\.0\.0-10\.0\.1\.255 \}\n/);
});
