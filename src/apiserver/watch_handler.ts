import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../api/types.js';
import { isStatusError, errors } from '../api/errors.js';
import type { ApiCore } from './core.js';
import type { ListOptions, Scope } from './scope.js';
import { negotiate } from './negotiate.js';
import { toTable, includeObject } from './table.js';

/** MAX_WATCH_BUFFER is how much unsent output a watcher may pile up before it is dropped (it re-lists). */
const MAX_WATCH_BUFFER = 16 * 1024 * 1024;

/**
 * serveWatch streams watch events as newline-delimited JSON `{"type":…,"object":…}` until the
 * client goes away, the timeout passes, or the watcher falls too far behind.
 */
export async function serveWatch(core: ApiCore, req: IncomingMessage, res: ServerResponse, scope: Scope, opts: ListOptions, query: URLSearchParams): Promise<void> {
  const target = negotiate(req.headers.accept, { table: true });
  const now = (): number => core.opts.clock.now();
  let headerSent = false;
  let closed = false;
  let columnsSent = false;
  const encode = (type: string, obj: KubeObject): string => {
    let out: unknown = obj;
    if (target.as === 'Table' && type !== 'BOOKMARK') {
      out = toTable(scope.served.type, [obj], { now: now(), include: includeObject(query), version: target.version, resourceVersion: obj.metadata.resourceVersion ?? '', withColumns: !columnsSent });
      columnsSent = true;
    } else if (target.as === 'PartialObjectMetadata' && type !== 'BOOKMARK') {
      out = { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${target.version}`, metadata: obj.metadata };
    }
    return JSON.stringify({ type, object: out }) + '\n';
  };
  const start = (): void => {
    if (headerSent) return;
    headerSent = true;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
  };
  let stop: () => void = () => {};
  const finish = (err?: Error): void => {
    if (closed) return;
    closed = true;
    stop();
    clearTimeout(timer);
    if (err && isStatusError(err)) {
      start();
      res.write(JSON.stringify({ type: 'ERROR', object: err.status }) + '\n');
    }
    res.end();
  };
  const timeoutSec = opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds : 1800 + Math.floor(Math.random() * 1800);
  const timer = setTimeout(() => finish(), timeoutSec * 1000);
  timer.unref();
  req.on('close', () => finish());
  const sink = {
    send(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', obj: KubeObject): boolean {
      if (closed) return false;
      start();
      res.write(encode(type, obj));
      return res.writableLength < MAX_WATCH_BUFFER;
    },
    close(err?: Error) {
      finish(err ?? errors.gone('watch closed'));
    },
  };
  try {
    stop = await core.watch(scope, opts, sink);
    start();
  } catch (e) {
    const gone = isStatusError(e) && e.code === 410;
    if (!headerSent && !gone) {
      clearTimeout(timer);
      closed = true;
      throw e;
    }
    finish(e as Error);
  }
  if (closed) stop();
}
