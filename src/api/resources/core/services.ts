import { arr, ensureObj, num, objAt, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { mapToSelectorString } from '../../table/format.js';
import { isObject, type JsonObject } from '../../types.js';
import { prepareServiceUpdate } from './core_service_update.js';
import { servicePortsString } from './core_service_ports.js';
import { externallyAccessible, validateClusterIPsUpdate, validateService } from './core_service_validation.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf, stringMap } from './core_table.js';

const DEFAULT_AFFINITY_SECONDS = 10800;

function defaultPorts(spec: JsonObject): void {
  for (const p of arr(spec, 'ports')) {
    if (!isObject(p)) continue;
    setDefault(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
}

/** defaultIPFamilies fills ipFamilyPolicy/ipFamilies as allocation does on a single-stack IPv4 cluster. */
function defaultIPFamilies(spec: JsonObject): void {
  if (spec.type === 'ExternalName') return;
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && arr(spec, 'clusterIPs').length === 0) spec.clusterIPs = [spec.clusterIP];
  // Headless Services without a selector may carry addresses of both families.
  const selectorless = spec.clusterIP === 'None' && Object.keys(stringMap(spec.selector)).length === 0;
  setDefault(spec, 'ipFamilyPolicy', selectorless ? 'RequireDualStack' : 'SingleStack');
  if (arr(spec, 'ipFamilies').length === 0) {
    const first = arr(spec, 'clusterIPs')[0];
    spec.ipFamilies = [typeof first === 'string' && first.includes(':') ? 'IPv6' : 'IPv4'];
  }
}

/** defaultService applies SetDefaults_Service plus the IP family fields the allocator would set. */
function defaultService(obj: JsonObject): void {
  const spec = ensureObj(obj, 'spec');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && num(spec, 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds') === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_AFFINITY_SECONDS } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  defaultPorts(spec);
  if (externallyAccessible(obj) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  defaultIPFamilies(spec);
  if (!isObject(obj.status)) obj.status = { loadBalancer: {} };
}

/** externalIPCell renders EXTERNAL-IP as kube-apiserver does (wide form: load balancer addresses are not clipped). */
function externalIPCell(obj: unknown): string {
  const externalIPs = arr(obj, 'spec', 'externalIPs').filter((x): x is string => typeof x === 'string');
  switch (str(obj, 'spec', 'type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set(arr(obj, 'status', 'loadBalancer', 'ingress').map((i) => str(i, 'ip') || str(i, 'hostname') || '').filter((s) => s !== ''))].sort();
      const all = [...lb, ...externalIPs];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(obj, 'spec', 'externalName') ?? '';
    default:
      return '<unknown>';
  }
}

/**
 * services (v1 Service, `svc`, category `all`): defaults as SetDefaults_Service (type ClusterIP, TCP ports,
 * targetPort = port, traffic policies, single-stack IPv4 families); cluster IPs and node ports are
 * allocated by the API server, never here. Updates keep allocated values a client omitted.
 */
export const services: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  nameRule: 'label',
  hasStatus: true,
  tracksGeneration: false,
  subresources: ['proxy'],
  defaults: defaultService,
  validate(obj, old) {
    return old ? [...validateClusterIPsUpdate(obj, old), ...validateService(obj)] : validateService(obj);
  },
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    prepareServiceUpdate(obj, old);
  },
  columns: [
    NAME_COLUMN,
    column('Type', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'clusterIP is the IP address of the service.'),
    column('External-IP', 'externalIPs and load balancer ingress addresses of the service.'),
    column('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  row(obj, now) {
    const first = arr(obj, 'spec', 'clusterIPs')[0];
    const clusterIP = typeof first === 'string' ? first : '<none>';
    const selector = objAt(obj, 'spec', 'selector');
    return [nameOf(obj), str(obj, 'spec', 'type') ?? '', clusterIP, externalIPCell(obj), servicePortsString(obj), ageOf(obj, now), mapToSelectorString(selector ? stringMap(selector) : undefined)];
  },
  fieldLabels(obj) {
    return { 'spec.clusterIP': str(obj, 'spec', 'clusterIP') ?? '', 'spec.type': str(obj, 'spec', 'type') ?? '' };
  },
};

