// The kubelet's /metrics/resource (Prometheus text format, kubelet 1.32), read as metrics-server
// reads it: cumulative CPU seconds and working-set bytes of the node and of every container, each
// sample with its own timestamp in milliseconds.

/** MetricsPoint is one sample of a node or container: cumulative CPU, working set, when. */
export interface MetricsPoint {
  /** timestampMs: when the kubelet took the sample (the scrape time when the line has none). */
  timestampMs: number;
  /** cpuSeconds: cumulative CPU time used, in core-seconds. */
  cpuSeconds: number;
  memoryBytes: number;
  /** startTimeMs: the container's start (container_start_time_seconds); 0 when not reported. */
  startTimeMs: number;
}

/** ContainerPoint is a container's sample, by container name. */
export interface ContainerPoint extends MetricsPoint {
  name: string;
}

/** PodPoints are one pod's container samples from one scrape. */
export interface PodPoints {
  namespace: string;
  name: string;
  containers: ContainerPoint[];
}

/** NodeBatch is what one node's /metrics/resource says: the node's sample (when complete) and its pods'. */
export interface NodeBatch {
  node?: MetricsPoint;
  pods: PodPoints[];
}

const NODE_CPU = 'node_cpu_usage_seconds_total';
const NODE_MEMORY = 'node_memory_working_set_bytes';
const CONTAINER_CPU = 'container_cpu_usage_seconds_total';
const CONTAINER_MEMORY = 'container_memory_working_set_bytes';
const CONTAINER_START = 'container_start_time_seconds';
const WANTED = new Set([NODE_CPU, NODE_MEMORY, CONTAINER_CPU, CONTAINER_MEMORY, CONTAINER_START]);

/** Sample is one parsed series line. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs: number | undefined;
}

/**
 * parseResourceMetrics reads a /metrics/resource body. As metrics-server: the node counts only
 * with a timestamp, CPU and memory all non-zero; a pod counts only when every container that
 * reported anything has both CPU and memory non-zero (one incomplete container drops the pod);
 * samples without a timestamp take defaultTimeMs. Lines it does not know are skipped; a line that
 * is not Prometheus text throws.
 */
export function parseResourceMetrics(text: string, defaultTimeMs: number): NodeBatch {
  const node: MetricsPoint = { timestampMs: 0, cpuSeconds: 0, memoryBytes: 0, startTimeMs: 0 };
  const pods = new Map<string, { namespace: string; name: string; containers: Map<string, ContainerPoint> }>();
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;
    const s = parseSeriesLine(line);
    if (!s) continue;
    const ts = s.timestampMs ?? defaultTimeMs;
    if (s.name === NODE_CPU) {
      node.cpuSeconds = s.value;
      node.timestampMs = ts;
    } else if (s.name === NODE_MEMORY) {
      node.memoryBytes = s.value;
      node.timestampMs = ts;
    } else {
      const namespace = s.labels.namespace ?? '';
      const podName = s.labels.pod ?? '';
      const container = s.labels.container ?? '';
      const key = `${namespace}/${podName}`;
      let pod = pods.get(key);
      if (!pod) pods.set(key, (pod = { namespace, name: podName, containers: new Map() }));
      let c = pod.containers.get(container);
      if (!c) pod.containers.set(container, (c = { name: container, timestampMs: 0, cpuSeconds: 0, memoryBytes: 0, startTimeMs: 0 }));
      if (s.name === CONTAINER_CPU) {
        c.cpuSeconds = s.value;
        c.timestampMs = ts;
      } else if (s.name === CONTAINER_MEMORY) {
        c.memoryBytes = s.value;
        c.timestampMs = ts;
      } else {
        c.startTimeMs = s.value * 1000;
      }
    }
  }
  const batch: NodeBatch = { pods: [] };
  if (node.timestampMs && node.cpuSeconds && node.memoryBytes) batch.node = node;
  for (const pod of pods.values()) {
    const containers = [...pod.containers.values()].filter((c) => c.timestampMs || c.cpuSeconds || c.memoryBytes || c.startTimeMs);
    if (containers.length === 0 || containers.some((c) => !c.cpuSeconds || !c.memoryBytes)) continue;
    batch.pods.push({ namespace: pod.namespace, name: pod.name, containers });
  }
  return batch;
}

/** parseSeriesLine reads `name{labels} value [timestamp]`; undefined for comments, blanks and series not wanted. */
function parseSeriesLine(line: string): Sample | undefined {
  if (line === '' || line.charCodeAt(0) === 35 /* # */) return undefined;
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
  const name = line.slice(0, i);
  if (!WANTED.has(name)) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name.trim())) throw new Error(`invalid metric line: ${JSON.stringify(line.slice(0, 80))}`);
    return undefined;
  }
  const labels: Record<string, string> = {};
  if (line[i] === '{') i = parseLabels(line, i + 1, labels);
  const rest = line.slice(i).trim().split(/[ \t]+/);
  const value = parseValue(rest[0] ?? '');
  if (rest[0] === '' || (Number.isNaN(value) && rest[0] !== 'NaN')) throw new Error(`invalid metric value: ${JSON.stringify(line.slice(0, 80))}`);
  const ts = rest[1] !== undefined ? Number(rest[1]) : undefined;
  if (ts !== undefined && !Number.isFinite(ts)) throw new Error(`invalid metric timestamp: ${JSON.stringify(line.slice(0, 80))}`);
  return { name, labels, value, timestampMs: ts };
}

/** parseLabels reads `k="v",…}` from i into out and returns the index past the closing brace. */
function parseLabels(line: string, start: number, out: Record<string, string>): number {
  let i = start;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return i + 1;
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') throw new Error(`invalid metric labels: ${JSON.stringify(line.slice(0, 80))}`);
    const key = line.slice(i, eq).trim();
    let j = eq + 2;
    let value = '';
    while (j < line.length && line[j] !== '"') {
      if (line[j] === '\\' && j + 1 < line.length) {
        const e = line[j + 1];
        value += e === 'n' ? '\n' : e;
        j += 2;
      } else value += line[j++];
    }
    if (j >= line.length) throw new Error(`invalid metric labels: ${JSON.stringify(line.slice(0, 80))}`);
    out[key] = value;
    i = j + 1;
  }
}

function parseValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}
