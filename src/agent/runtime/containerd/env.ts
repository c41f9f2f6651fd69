import type { KubeObject } from '../../../api/types.js';
import { arr, field, objAt, str } from '../../../api/object.js';
import { isObject } from '../../../api/types.js';
import type { KeyValue } from '../../cri/types.js';
import { expandVars } from './expand.js';
import { downwardField, resourceFieldValue, type NodeAllocatable } from './downward.js';

/** ObjectLookup fetches a ConfigMap or Secret by namespace and name (undefined when absent). */
export type ObjectLookup = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/** EnvContext is what env resolution reads besides the container itself. */
export interface EnvContext {
  pod: KubeObject;
  podIP: string;
  hostIP: string;
  allocatable: NodeAllocatable;
  getConfigMap: ObjectLookup;
  getSecret: ObjectLookup;
  /** serviceEnv returns `<SVC>_SERVICE_HOST`-style variables for the namespace. */
  serviceEnv: (namespace: string, enableServiceLinks: boolean) => Record<string, string>;
}

/** EnvConfigError is a container environment that cannot be built (waiting reason CreateContainerConfigError). */
export class EnvConfigError extends Error {
  override name = 'EnvConfigError';
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** objectData returns the data of a ConfigMap (data + base64 binaryData) or Secret (base64 data + stringData). */
export function objectData(obj: KubeObject, kind: 'ConfigMap' | 'Secret'): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const put = (m: unknown, enc: 'utf8' | 'base64'): void => {
    if (!isObject(m)) return;
    for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out.set(k, Buffer.from(v, enc));
  };
  if (kind === 'ConfigMap') {
    put(obj['data'], 'utf8');
    put(obj['binaryData'], 'base64');
  } else {
    put(obj['data'], 'base64');
    put(obj['stringData'], 'utf8');
  }
  return out;
}

/** fetcher memoizes lookups for one resolution, so each object is read once. */
function fetcher(ctx: EnvContext): (kind: 'ConfigMap' | 'Secret', name: string) => Promise<Map<string, Buffer> | undefined> {
  const cache = new Map<string, Promise<Map<string, Buffer> | undefined>>();
  const ns = ctx.pod.metadata.namespace ?? '';
  return (kind, name) => {
    const k = `${kind}/${name}`;
    let p = cache.get(k);
    if (!p) {
      const get = kind === 'ConfigMap' ? ctx.getConfigMap : ctx.getSecret;
      p = get(ns, name).then((o) => (o ? objectData(o, kind) : undefined));
      cache.set(k, p);
    }
    return p;
  };
}

async function fromEnvFrom(ctx: EnvContext, container: unknown, fetch: ReturnType<typeof fetcher>, env: Map<string, string>): Promise<void> {
  for (const src of arr(container, 'envFrom')) {
    const kind = objAt(src, 'configMapRef') ? 'ConfigMap' : 'Secret';
    const ref = objAt(src, kind === 'ConfigMap' ? 'configMapRef' : 'secretRef');
    const name = str(ref, 'name') ?? '';
    const data = await fetch(kind, name);
    if (!data) {
      if (field(ref, 'optional') === true) continue;
      throw new EnvConfigError(`${kind.toLowerCase()} "${name}" not found`);
    }
    const prefix = str(src, 'prefix') ?? '';
    for (const [k, v] of data) if (ENV_NAME.test(prefix + k)) env.set(prefix + k, v.toString('utf8'));
  }
}

async function keyRef(ctx: EnvContext, sel: unknown, kind: 'ConfigMap' | 'Secret', fetch: ReturnType<typeof fetcher>): Promise<string | undefined> {
  const name = str(sel, 'name') ?? '';
  const key = str(sel, 'key') ?? '';
  const optional = field(sel, 'optional') === true;
  const data = await fetch(kind, name);
  if (!data) {
    if (optional) return undefined;
    throw new EnvConfigError(`${kind.toLowerCase()} "${name}" not found`);
  }
  const v = data.get(key);
  if (v === undefined && !optional) throw new EnvConfigError(`couldn't find key ${key} in ${kind} ${ctx.pod.metadata.namespace ?? ''}/${name}`);
  return v?.toString('utf8');
}

async function valueFrom(ctx: EnvContext, container: unknown, from: unknown, fetch: ReturnType<typeof fetcher>): Promise<string | undefined> {
  const fieldPath = str(from, 'fieldRef', 'fieldPath');
  if (fieldPath !== undefined) return downwardField(ctx.pod, fieldPath, ctx.podIP, ctx.hostIP);
  const res = objAt(from, 'resourceFieldRef');
  if (res) {
    const target = str(res, 'containerName') ? [...arr(ctx.pod, 'spec', 'containers'), ...arr(ctx.pod, 'spec', 'initContainers')].find((c) => str(c, 'name') === str(res, 'containerName')) : container;
    return resourceFieldValue(target, res, ctx.allocatable);
  }
  if (objAt(from, 'configMapKeyRef')) return keyRef(ctx, objAt(from, 'configMapKeyRef'), 'ConfigMap', fetch);
  if (objAt(from, 'secretKeyRef')) return keyRef(ctx, objAt(from, 'secretKeyRef'), 'Secret', fetch);
  return undefined;
}

/**
 * resolveEnv builds a container's environment as the kubelet does: envFrom sources first, then
 * env entries in order ($(VAR) expanded against what is defined so far and the service variables;
 * valueFrom resolved from the downward API, resources, ConfigMaps and Secrets), then the service
 * variables not already set. A missing non-optional source throws EnvConfigError.
 */
export async function resolveEnv(ctx: EnvContext, container: unknown): Promise<KeyValue[]> {
  const fetch = fetcher(ctx);
  const env = new Map<string, string>();
  await fromEnvFrom(ctx, container, fetch, env);
  const services = ctx.serviceEnv(ctx.pod.metadata.namespace ?? '', field(ctx.pod, 'spec', 'enableServiceLinks') !== false);
  const lookup = (name: string): string | undefined => env.get(name) ?? services[name];
  for (const e of arr(container, 'env')) {
    const name = str(e, 'name') ?? '';
    const from = objAt(e, 'valueFrom');
    const value = from ? await valueFrom(ctx, container, from, fetch) : expandVars(str(e, 'value') ?? '', lookup);
    if (value !== undefined) env.set(name, value);
  }
  for (const [k, v] of Object.entries(services)) if (!env.has(k)) env.set(k, v);
  return [...env].map(([key, value]) => ({ key, value }));
}

/** expandCommand expands $(VAR) references in command or args against the container's environment. */
export function expandCommand(list: unknown[], env: KeyValue[]): string[] {
  const m = new Map(env.map((kv) => [kv.key, kv.value]));
  return list.map((s) => expandVars(String(s), (n) => m.get(n)));
}
