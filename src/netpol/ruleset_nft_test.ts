import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { KubeObject } from '../api/types.js';
import { netpolModel } from './model.js';
import { buildTable, renderChanges, renderFull } from './ruleset.js';
import { namespace, pod, policy } from './netpol_fixtures_test_helper.js';

const runnable = spawnSync('nft', ['--version']).status === 0 && process.getuid?.() === 0;

/** canonical is a table as nft lists it in JSON, without handles and with elements sorted, so two tables built differently compare equal. */
function canonical(json: string): string[] {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'handle').map(([k, x]) => [k, k === 'elem' && Array.isArray(x) ? x.map((e) => JSON.stringify(strip(e))).sort() : strip(x)]));
    return v;
  };
  return (JSON.parse(json) as { nftables: unknown[] }).nftables.filter((o) => !(o as { metainfo?: unknown }).metainfo).map((o) => JSON.stringify(strip(o))).sort();
}

const namespaces = [namespace('prod'), namespace('dev', { team: 'b' })];
const web = pod('prod', 'web', 'n1', '10.42.1.2', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]);
const db = pod('prod', 'db', 'n1', '10.42.1.3', { app: 'db' });
const client = pod('dev', 'client', 'n2', '10.42.2.5', { app: 'client' });
const client2 = pod('dev', 'client2', 'n2', '10.42.2.6', { app: 'client' });
const denyAll = policy('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const allowWeb = policy('prod', 'web', {
  podSelector: { matchLabels: { app: 'web' } },
  ingress: [
    { from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.42.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 8000, endPort: 8100 }] },
    { ports: [{ protocol: 'UDP' }] },
  ],
  egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
});
const allowWebWider = policy('prod', 'web', { ...(allowWeb as unknown as { spec: object }).spec, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.42.1.0/24'] } }] }] });

test('incremental changes leave the same table as a full rewrite (real nft in a throwaway netns)', { skip: !runnable }, () => {
  const ns = `skiff-netpol-inc-${process.pid}`;
  const step = (policies: KubeObject[], pods: KubeObject[]) => buildTable(netpolModel({ policies, pods, namespaces, nodeName: 'n1' }));
  const tables = [
    step([], [web, db, client]),
    step([denyAll], [web, db, client]),
    step([denyAll, allowWeb], [web, db, client]),
    step([denyAll, allowWeb], [web, db, client, client2]),
    step([denyAll, allowWebWider], [web, db, client2]),
    step([allowWebWider], [web, client2]),
    step([], [web]),
  ];
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const nft = (args: string[], input = ''): string => execFileSync('nsenter', [`--net=/run/netns/${ns}`, 'nft', ...args], { input, encoding: 'utf8' });
    nft(['-c', '-f', '-'], renderFull(tables[2]!));
    nft(['-f', '-'], renderFull(tables[0]!));
    for (let i = 1; i < tables.length; i++) {
      // One command per line, as NftSession sends them.
      nft(['-f', '-'], renderChanges(tables[i - 1]!, tables[i]!));
      const incremental = canonical(nft(['-j', 'list', 'table', 'ip', 'skiff-netpol']));
      nft(['-f', '-'], renderFull(tables[i]!));
      assert.deepEqual(incremental, canonical(nft(['-j', 'list', 'table', 'ip', 'skiff-netpol'])), `step ${i}`);
    }
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
});
