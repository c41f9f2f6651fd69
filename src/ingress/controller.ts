import { createHash } from 'node:crypto';
import { chown, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../api/types.js';
import type { EventHandlers } from '../client/informer.js';
import type { Logger } from '../lib/log.js';
import { Nginx, NGINX_USER } from './nginx.js';
import { renderNginxConfig } from './nginx_config.js';
import { buildIngressModel } from './routes.js';

/** IngressSource is the informer surface the ingress reads (client/informer Informer fits). */
export interface IngressSource {
  list(namespace?: string): KubeObject[];
  get(key: string): KubeObject | undefined;
  addHandlers(h: EventHandlers): void;
  waitForSync(): Promise<void>;
}

/** IngressOptions describe one node's ingress. */
export interface IngressOptions {
  ingresses: IngressSource;
  ingressClasses: IngressSource;
  services: IngressSource;
  endpointSlices: IngressSource;
  secrets: IngressSource;
  nodeName: string;
  listenIP: string;
  httpPort?: number;
  httpsPort?: number;
  /** dir holds nginx's configuration, certificates, logs and temp files. */
  dir: string;
  nginxBinary?: string;
  logger: Logger;
}

/** RunningIngress stops the ingress; flush waits for the current update. */
export interface RunningIngress {
  stop(): Promise<void>;
  flush(): Promise<void>;
}

const MIN_RELOAD_INTERVAL_MS = 100;

/**
 * startIngress serves the cluster's Ingresses on one node's address (ports 80 and 443) through
 * nginx, the way ingress-nginx drives it: every change to Ingresses, their Services, endpoints or
 * TLS Secrets renders a new configuration, written and reloaded only when it differs, at most one
 * reload in flight.
 */
export async function startIngress(o: IngressOptions): Promise<RunningIngress> {
  const dir = o.dir;
  const certDir = join(dir, 'certs');
  await mkdir(join(dir, 'tmp'), { recursive: true, mode: 0o700 });
  await mkdir(certDir, { recursive: true, mode: 0o700 });
  const root = process.getuid?.() === 0;
  if (root) await chown(join(dir, 'tmp'), NGINX_USER.uid, NGINX_USER.gid);
  const nginx = new Nginx({ dir, binary: o.nginxBinary ?? 'nginx', logger: o.logger });
  let stopped = false;
  let dirty = false;
  let running: Promise<void> | undefined;
  let last: string | undefined;
  let lastProblems = '';

  const slicesOf = (ns: string, svc: string): KubeObject[] => o.endpointSlices.list(ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
  const render = async (): Promise<void> => {
    const model = buildIngressModel({
      ingresses: o.ingresses.list(),
      classes: o.ingressClasses.list(),
      services: (k) => o.services.get(k),
      endpointSlices: slicesOf,
      secrets: (k) => o.secrets.get(k),
      nodeName: o.nodeName,
    });
    const problems = model.problems.join('\n');
    if (problems !== lastProblems && problems) o.logger.warn('ingress problems', { problems: model.problems });
    lastProblems = problems;
    const files = new Map<string, string>();
    for (const [key, c] of model.certificates) {
      const text = c.cert + c.key;
      files.set(key, `${createHash('sha256').update(text).digest('hex').slice(0, 20)}.pem`);
    }
    const conf = renderNginxConfig(model, { listenIP: o.listenIP, httpPort: o.httpPort ?? 80, httpsPort: o.httpsPort ?? 443, dir, certFile: (k) => join(certDir, files.get(k)!), ...(root ? { user: NGINX_USER.name } : {}) });
    if (conf === last) return;
    for (const [key, file] of files) {
      const c = model.certificates.get(key)!;
      await writeFile(join(certDir, file), c.cert + c.key, { mode: 0o600 });
    }
    await nginx.apply(conf);
    last = conf;
    const keep = new Set(files.values());
    for (const f of await readdir(certDir)) if (!keep.has(f)) await rm(join(certDir, f), { force: true });
    await new Promise((r) => setTimeout(r, MIN_RELOAD_INTERVAL_MS));
  };
  const loop = async (): Promise<void> => {
    while (dirty && !stopped) {
      dirty = false;
      try {
        await render();
      } catch (e) {
        o.logger.error('ingress configuration not applied; the previous one keeps serving', { err: (e as Error).message });
      }
    }
  };
  const schedule = (): void => {
    dirty = true;
    if (running === undefined) running = loop().finally(() => { running = undefined; });
  };
  const sources = [o.ingresses, o.ingressClasses, o.services, o.endpointSlices, o.secrets];
  await Promise.all(sources.map((s) => s.waitForSync()));
  const h: EventHandlers = { onAdd: schedule, onUpdate: schedule, onDelete: schedule };
  for (const s of sources) s.addHandlers(h);
  schedule();
  return {
    async stop() {
      stopped = true;
      await running;
      await nginx.stop();
    },
    async flush() {
      while (running !== undefined) await running;
    },
  };
}
