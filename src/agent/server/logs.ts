import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import { objAt, str } from '../../api/object.js';
import { containerStatusOf, hasContainer, KubeletError, logTarget } from './container_status.js';
import { readCriLog, type ReadLogOptions } from './log_reader.js';
import type { PodSource, StreamingRuntime } from './types.js';
import { parseGoBool } from '../../lib/go_bool.js';

/** ContainerLogsContext is what the containerLogs endpoint needs from the server. */
export interface ContainerLogsContext {
  pods: PodSource;
  runtime: StreamingRuntime;
  clock: Clock;
  /** pollMs/checkMs tune follow (see ReadLogOptions). */
  pollMs?: number;
  checkMs?: number;
}

function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  const b = parseGoBool(v);
  if (b === undefined) throw new KubeletError(400, 'Unable to decode query.');
  return b;
}

function int(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new KubeletError(400, 'Unable to decode query.');
  if (n < min) throw new KubeletError(400, `${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

/** logQuery parses the kubelet's PodLogOptions query (follow, previous, timestamps, tailLines, sinceSeconds, sinceTime, limitBytes). */
export function logQuery(q: URLSearchParams, now: number): Omit<ReadLogOptions, 'signal' | 'clock'> & { previous: boolean } {
  const o: Omit<ReadLogOptions, 'signal' | 'clock'> & { previous: boolean } = { follow: bool(q, 'follow'), previous: bool(q, 'previous'), timestamps: bool(q, 'timestamps') };
  const tail = int(q, 'tailLines', 0);
  if (tail !== undefined) o.tailLines = tail;
  const limit = int(q, 'limitBytes', 1);
  if (limit !== undefined) o.limitBytes = limit;
  const sinceSeconds = int(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new KubeletError(400, 'at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (sinceSeconds !== undefined) o.sinceMs = now - sinceSeconds * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new KubeletError(400, 'Unable to decode query.');
    o.sinceMs = t;
  }
  return o;
}

/**
 * serveContainerLogs answers GET /containerLogs/{namespace}/{pod}/{container}: the container's CRI
 * log file as text, the kubelet's 4xx plain-text errors when the pod, container or run is not there.
 */
export async function serveContainerLogs(ctx: ContainerLogsContext, req: IncomingMessage, res: ServerResponse, parts: string[], query: URLSearchParams): Promise<void> {
  const [namespace = '', podName = '', container = ''] = parts;
  if (!podName) throw new KubeletError(400, '{"message": "Missing podID."}');
  if (!container) throw new KubeletError(400, '{"message": "Missing container name."}');
  const opts = logQuery(query, ctx.clock.now());
  const pod = await ctx.pods(namespace, podName);
  if (!pod) throw new KubeletError(404, `pod "${podName}" does not exist`);
  if (!hasContainer(pod, container)) throw new KubeletError(404, `container "${container}" not found in pod "${podName}"`);
  const target = logTarget(pod, container, opts.previous);
  const path = ctx.runtime.logPath(pod, container, target.restartCount);
  try {
    await stat(path);
  } catch {
    throw new KubeletError(400, `failed to try resolving symlinks in path "${path}": lstat ${path}: no such file or directory`);
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  req.on('aborted', () => abort.abort());
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  // A container that still runs may write more; the read ends once another run replaced it or it stopped.
  const stillCurrent = async (): Promise<boolean> => {
    const now = await ctx.pods(namespace, podName).catch(() => pod);
    const cs = now ? containerStatusOf(now, container) : undefined;
    return cs !== undefined && str(cs, 'containerID') === target.containerID && objAt(cs, 'state', 'running') !== undefined;
  };
  const read: ReadLogOptions = { ...opts, follow: opts.follow && target.running, signal: abort.signal, clock: ctx.clock, stillCurrent };
  if (ctx.pollMs !== undefined) read.pollMs = ctx.pollMs;
  if (ctx.checkMs !== undefined) read.checkMs = ctx.checkMs;
  await readCriLog(path, (chunk) => writeChunk(res, chunk), read);
  res.end();
}

function writeChunk(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
