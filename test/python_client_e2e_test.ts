// The Python `kubernetes` client (Debian python3-kubernetes) against skiff: it sends what kubectl
// never does (watch=True, its own user agent and list options), so its everyday calls are checked
// end to end: create, list, a watch that sees events, and a 404 Status it can decode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, type TestServer } from './harness.js';

const PYTHON = '/usr/bin/python3';
const skip = spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8' }).status === 0 ? undefined : 'python3-kubernetes is not installed';

let server: TestServer;
before(async () => {
  if (!skip) server = await startServer(['--disable-agent']);
});
after(async () => {
  await server?.stop();
});

const SCRIPT = `
import json, sys, threading, time
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
out = {}
v1.create_namespaced_config_map('default', client.V1ConfigMap(metadata=client.V1ObjectMeta(name='py-a', labels={'from': 'python'}), data={'k': 'v'}))
out['listed'] = [c.metadata.name for c in v1.list_namespaced_config_map('default', label_selector='from=python').items]
rv = v1.list_namespaced_config_map('default').metadata.resource_version
def later():
    time.sleep(0.5)
    v1.create_namespaced_config_map('default', client.V1ConfigMap(metadata=client.V1ObjectMeta(name='py-b', labels={'from': 'python'})))
    v1.delete_namespaced_config_map('py-a', 'default')
threading.Thread(target=later).start()
events = []
w = watch.Watch()
for ev in w.stream(v1.list_namespaced_config_map, 'default', label_selector='from=python', resource_version=rv, timeout_seconds=10):
    events.append([ev['type'], ev['object'].metadata.name])
    if len(events) == 2:
        w.stop()
out['events'] = events
try:
    v1.read_namespaced_config_map('missing', 'default')
except ApiException as e:
    out['status'] = [e.status, json.loads(e.body)['reason']]
out['nodes'] = len(v1.list_node().items)
print(json.dumps(out))
`;

test('the Python client creates, lists, watches (watch=True) and reads Status errors', { skip }, () => {
  const r = spawnSync(PYTHON, ['-c', SCRIPT, server.kubeconfig], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { listed: string[]; events: string[][]; status: [number, string]; nodes: number };
  assert.deepEqual(out.listed, ['py-a']);
  assert.deepEqual(out.events, [['ADDED', 'py-b'], ['DELETED', 'py-a']]);
  assert.deepEqual(out.status, [404, 'NotFound']);
  assert.equal(out.nodes, 0);
});
