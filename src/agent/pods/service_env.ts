import type { KubeObject } from '../../api/types.js';
import { arr, str } from '../../api/object.js';

/** envName turns a Service name into its environment-variable prefix (`my-svc` → `MY_SVC`). */
function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * serviceEnvVars returns the docker-link style variables the kubelet gives containers for the
 * Services of their namespace (and `kubernetes` from default): `<SVC>_SERVICE_HOST`,
 * `<SVC>_SERVICE_PORT[_<PORT NAME>]`, `<SVC>_PORT`, `<SVC>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`.
 * Headless and ExternalName Services get none.
 */
export function serviceEnvVars(services: KubeObject[], namespace: string, enableServiceLinks: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? '';
    const isMaster = ns === 'default' && svc.metadata.name === 'kubernetes';
    if (!(ns === namespace && enableServiceLinks) && !isMaster) continue;
    const ip = str(svc, 'spec', 'clusterIP');
    if (!ip || ip === 'None') continue;
    const prefix = envName(svc.metadata.name ?? '');
    const ports = arr(svc, 'spec', 'ports');
    const first = ports[0];
    if (first === undefined) continue;
    env[`${prefix}_SERVICE_HOST`] = ip;
    env[`${prefix}_SERVICE_PORT`] = String((first as { port?: number }).port ?? '');
    for (const p of ports) {
      const port = String((p as { port?: number }).port ?? '');
      const proto = ((p as { protocol?: string }).protocol ?? 'TCP').toUpperCase();
      const name = (p as { name?: string }).name;
      if (name) env[`${prefix}_SERVICE_PORT_${envName(name)}`] = port;
      const base = `${prefix}_PORT_${port}_${proto}`;
      env[base] = `${proto.toLowerCase()}://${ip}:${port}`;
      env[`${base}_PROTO`] = proto.toLowerCase();
      env[`${base}_PORT`] = port;
      env[`${base}_ADDR`] = ip;
    }
    const firstProto = ((first as { protocol?: string }).protocol ?? 'TCP').toLowerCase();
    env[`${prefix}_PORT`] = `${firstProto}://${ip}:${String((first as { port?: number }).port ?? '')}`;
  }
  return env;
}
