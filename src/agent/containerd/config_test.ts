import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerdPaths, dataDirHash, hasCapSysResource, renderContainerdConfig } from './config.js';
import { authTomlSection, hostsTomlFiles, parseRegistriesYaml } from './registries.js';
import { checkNodePrerequisites, formatMissingPrerequisites } from './prerequisites.js';

test('containerdPaths keeps the socket short and the state under /run/skiff/<hash>', () => {
  const p = containerdPaths('/var/lib/skiff/' + 'x'.repeat(200));
  assert.ok(p.socket.length < 108, p.socket);
  assert.match(p.state, /^\/run\/skiff\/[0-9a-f]{12}\/containerd$/);
  assert.equal(p.configFile, `/var/lib/skiff/${'x'.repeat(200)}/agent/etc/containerd/config.toml`);
  assert.equal(dataDirHash('/a/b'), dataDirHash('/a/b/'));
  assert.notEqual(dataDirHash('/a/b'), dataDirHash('/a/c'));
});

const registryCases: { name: string; yaml: string; files: Record<string, string>; auth: string[] }[] = [
  { name: 'empty file', yaml: '', files: {}, auth: [] },
  {
    name: 'docker.io mirror with TLS and auth on the mirror host',
    yaml: `
mirrors:
  docker.io:
    endpoint:
      - "https://mirror.local:5000"
      - "mirror2.local"
configs:
  "mirror.local:5000":
    auth: { username: u, password: "p\\"w" }
    tls: { ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem }
`,
    files: {
      'docker.io': [
        'server = "https://registry-1.docker.io"', '',
        '[host."https://mirror.local:5000"]', '  capabilities = ["pull", "resolve"]', '  ca = "/ca.pem"', '  client = [["/c.pem", "/k.pem"]]', '',
        '[host."https://mirror2.local"]', '  capabilities = ["pull", "resolve"]', '',
      ].join('\n'),
      // TLS settings of a mirror host also apply when its images are pulled from it directly.
      'mirror.local:5000': [
        'server = "https://mirror.local:5000"', '',
        '[host."https://mirror.local:5000"]', '  capabilities = ["pull", "resolve", "push"]', '  ca = "/ca.pem"', '  client = [["/c.pem", "/k.pem"]]', '',
      ].join('\n'),
    },
    auth: ['[plugins."io.containerd.grpc.v1.cri".registry.configs."mirror.local:5000".auth]', '  username = "u"', '  password = "p\\"w"'],
  },
  {
    name: 'wildcard mirror and a registry with only TLS',
    yaml: `
mirrors:
  "*":
    endpoint: ["http://cache.local:8080"]
configs:
  reg.local:
    tls: { insecure_skip_verify: true }
`,
    files: {
      _default: '[host."http://cache.local:8080"]\n  capabilities = ["pull", "resolve"]\n',
      'reg.local': 'server = "https://reg.local"\n\n[host."https://reg.local"]\n  capabilities = ["pull", "resolve", "push"]\n  skip_verify = true\n',
    },
    auth: [],
  },
];

for (const c of registryCases) {
  test(`registries.yaml → containerd: ${c.name}`, async () => {
    const cfg = await parseRegistriesYaml(c.yaml);
    assert.deepEqual(Object.fromEntries(hostsTomlFiles(cfg)), c.files);
    const auth = authTomlSection(cfg, 'plugins."io.containerd.grpc.v1.cri".registry');
    assert.deepEqual(auth.split('\n').filter(Boolean), c.auth);
  });
}

test('parseRegistriesYaml names the bad field', async () => {
  await assert.rejects(parseRegistriesYaml('mirrors:\n  docker.io:\n    endpoint: 5\n'), /mirrors\.docker\.io\.endpoint/);
  await assert.rejects(parseRegistriesYaml('configs:\n  h:\n    auth: { username: [1] }\n'), /configs\.h: username/);
});

test('renderContainerdConfig sets the CRI plugin up for skiff', async () => {
  const paths = containerdPaths('/data');
  const registries = await parseRegistriesYaml('configs:\n  r.local:\n    auth: { username: a, password: b }\n');
  const toml = renderContainerdConfig({
    paths, sandboxImage: 'skiff.local/pause:3.9', cniBinDir: '/usr/lib/cni', cniConfDir: '/data/agent/etc/cni/net.d',
    snapshotter: 'native', registries, restrictOomScoreAdj: true,
  });
  for (const line of [
    'version = 2', 'root = "/data/agent/containerd"', `state = "${paths.state}"`, `  address = "${paths.socket}"`,
    '  sandbox_image = "skiff.local/pause:3.9"', '  stream_server_address = "127.0.0.1"', '  stream_server_port = "0"',
    '  enable_unprivileged_ports = true', '  restrict_oom_score_adj = true', '  snapshotter = "native"', '  SystemdCgroup = false',
    `  Root = "${paths.state}/runc"`, '  bin_dir = "/usr/lib/cni"', '  conf_dir = "/data/agent/etc/cni/net.d"',
    '  config_path = "/data/agent/etc/containerd/certs.d"', '[plugins."io.containerd.grpc.v1.cri".registry.configs."r.local".auth]',
    '  path = "/data/agent/containerd/opt"',
  ]) {
    assert.ok(toml.split('\n').includes(line), `missing line ${JSON.stringify(line)} in\n${toml}`);
  }
});

test('hasCapSysResource reads bit 24 of CapEff', () => {
  assert.equal(hasCapSysResource('CapPrm:\t0\nCapEff:\t000001ffffffffff\n'), true);
  assert.equal(hasCapSysResource('CapEff:\t000001fffeffffff\n'), false);
  assert.equal(hasCapSysResource('nothing'), false);
});

test('checkNodePrerequisites names the Debian packages of missing programs', () => {
  const missing = checkNodePrerequisites({ path: '/nonexistent', cniBinDir: '/nonexistent/cni' });
  assert.deepEqual([...new Set(missing.map((m) => m.debianPackage))], ['containerd', 'runc', 'nftables', 'iproute2', 'containernetworking-plugins']);
  assert.match(formatMissingPrerequisites(missing), /apt-get install containerd runc nftables iproute2 containernetworking-plugins\)$/);
});
