import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceMetrics } from './resource_text.js';

// What a kubelet 1.32 answers on /metrics/resource (trimmed to two pods; one container of the
// second pod has no memory sample yet).
const KUBELET_TEXT = `# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-ccb96694c-6jx8w"} 12.398127 1765120987123
container_cpu_usage_seconds_total{container="app",namespace="default",pod="web-0"} 3.5 1765120987200
container_cpu_usage_seconds_total{container="sidecar",namespace="default",pod="web-0"} 0.25 1765120987200
# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
# TYPE container_memory_working_set_bytes gauge
container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="coredns-ccb96694c-6jx8w"} 1.2644352e+07 1765120987123
container_memory_working_set_bytes{container="app",namespace="default",pod="web-0"} 4.194304e+06 1765120987200
# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
# TYPE container_start_time_seconds gauge
container_start_time_seconds{container="coredns",namespace="kube-system",pod="coredns-ccb96694c-6jx8w"} 1.765120001e+09 1765120001000
# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total 3456.789 1765120987000
# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
# TYPE node_memory_working_set_bytes gauge
node_memory_working_set_bytes 1.073741824e+09 1765120987000
# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
# TYPE pod_cpu_usage_seconds_total counter
pod_cpu_usage_seconds_total{namespace="kube-system",pod="coredns-ccb96694c-6jx8w"} 12.5 1765120987123
# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
# TYPE pod_memory_working_set_bytes gauge
pod_memory_working_set_bytes{namespace="kube-system",pod="coredns-ccb96694c-6jx8w"} 1.3e+07 1765120987123
# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
# TYPE resource_scrape_error gauge
resource_scrape_error 0
`;

test('parseResourceMetrics reads the node and complete pods of kubelet text', () => {
  const b = parseResourceMetrics(KUBELET_TEXT, 1);
  assert.deepEqual(b.node, { timestampMs: 1765120987000, cpuSeconds: 3456.789, memoryBytes: 1073741824, startTimeMs: 0 });
  // web-0's sidecar has CPU but no memory: the whole pod is left out, as metrics-server does.
  assert.deepEqual(b.pods, [
    {
      namespace: 'kube-system',
      name: 'coredns-ccb96694c-6jx8w',
      containers: [{ name: 'coredns', timestampMs: 1765120987123, cpuSeconds: 12.398127, memoryBytes: 12644352, startTimeMs: 1765120001000 }],
    },
  ]);
});

test('parseResourceMetrics takes the scrape time for samples without a timestamp', () => {
  const b = parseResourceMetrics('node_cpu_usage_seconds_total 10\nnode_memory_working_set_bytes 2048\n', 5000);
  assert.deepEqual(b.node, { timestampMs: 5000, cpuSeconds: 10, memoryBytes: 2048, startTimeMs: 0 });
});

test('parseResourceMetrics drops an incomplete node and reads escaped label values', () => {
  const text = 'node_cpu_usage_seconds_total 10 1000\ncontainer_cpu_usage_seconds_total{container="a\\"b",namespace="n",pod="p"} 1 1000\ncontainer_memory_working_set_bytes{pod="p",namespace="n",container="a\\"b"} 4096 1000\n';
  const b = parseResourceMetrics(text, 0);
  assert.equal(b.node, undefined);
  assert.equal(b.pods[0]?.containers[0]?.name, 'a"b');
});

test('parseResourceMetrics refuses text that is not Prometheus text', () => {
  assert.throws(() => parseResourceMetrics('<html>nope</html>\n', 0));
  assert.throws(() => parseResourceMetrics('node_cpu_usage_seconds_total{x="1"\n', 0));
});
