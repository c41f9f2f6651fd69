import { arr, field, num, str } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';
import { externallyAccessible } from './core_service_validation.js';
import { sameJSON } from './core_syntax.js';

/**
 * Service update rules of kube-apiserver's service registry: drop fields a type change made
 * meaningless (when the client left them as they were), and keep allocated values (cluster IPs,
 * node ports, health check port) that a client omitted, as `kubectl apply`/`replace` rely on.
 */

const same = sameJSON;

function needsClusterIP(svc: unknown): boolean {
  return str(svc, 'spec', 'type') !== 'ExternalName';
}

function needsNodePort(svc: unknown): boolean {
  const type = str(svc, 'spec', 'type');
  return type === 'NodePort' || (type === 'LoadBalancer' && field(svc, 'spec', 'allocateLoadBalancerNodePorts') !== false);
}

function needsHCNodePort(svc: unknown): boolean {
  return str(svc, 'spec', 'type') === 'LoadBalancer' && str(svc, 'spec', 'externalTrafficPolicy') === 'Local';
}

function nodePorts(svc: unknown): number[] {
  return arr(svc, 'spec', 'ports').map((p) => num(p, 'nodePort') ?? 0);
}

/** dropTypeDependentFields clears fields the new type does not use, when the client did not change them. */
function dropTypeDependentFields(spec: JsonObject, svc: unknown, old: unknown): void {
  const oldSpec = isObject(field(old, 'spec')) ? (field(old, 'spec') as JsonObject) : {};
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (same(spec.clusterIPs, oldSpec.clusterIPs) && same(spec.clusterIP, oldSpec.clusterIP)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc) && same(nodePorts(svc), nodePorts(old))) {
    for (const p of arr(spec, 'ports')) if (isObject(p)) delete p.nodePort;
  }
  if (needsHCNodePort(old) && !needsHCNodePort(svc) && same(spec.healthCheckNodePort, oldSpec.healthCheckNodePort)) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts != null && same(spec.allocateLoadBalancerNodePorts, oldSpec.allocateLoadBalancerNodePorts)) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (same(spec.loadBalancerClass, oldSpec.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && same(spec.externalTrafficPolicy, oldSpec.externalTrafficPolicy)) {
    delete spec.externalTrafficPolicy;
  }
}

/** patchAllocatedValues copies allocated values from the stored Service into fields the update left empty. */
function patchAllocatedValues(spec: JsonObject, svc: unknown, old: unknown): void {
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && str(old, 'spec', 'clusterIP')) spec.clusterIP = str(old, 'spec', 'clusterIP');
    const oldIPs = arr(old, 'spec', 'clusterIPs');
    if (arr(spec, 'clusterIPs').length === 0 && oldIPs.length > 0) spec.clusterIPs = [...oldIPs];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newUsed = new Set(nodePorts(svc));
    const used = new Set(nodePorts(old).filter((p) => p !== 0 && newUsed.has(p)));
    const byName = new Map<string, number>();
    for (const p of arr(old, 'spec', 'ports')) byName.set(str(p, 'name') ?? '', num(p, 'nodePort') ?? 0);
    for (const p of arr(spec, 'ports')) {
      if (!isObject(p) || (num(p, 'nodePort') ?? 0) !== 0) continue;
      const oldVal = byName.get(str(p, 'name') ?? '') ?? 0;
      if (oldVal !== 0 && !used.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHCNodePort(old) && needsHCNodePort(svc) && !spec.healthCheckNodePort && num(old, 'spec', 'healthCheckNodePort')) {
    spec.healthCheckNodePort = num(old, 'spec', 'healthCheckNodePort');
  }
}

/** normalizeClusterIPsOnUpdate keeps clusterIP and clusterIPs consistent when an old client set only one of them. */
function normalizeClusterIPsOnUpdate(spec: JsonObject, old: unknown): void {
  const oldIPs = arr(old, 'spec', 'clusterIPs');
  const oldIP = str(old, 'spec', 'clusterIP') ?? '';
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  if (oldIPs.length > 0 && arr(spec, 'clusterIPs').length === 0 && oldIP === ip) spec.clusterIPs = [...oldIPs];
  if (oldIP !== ip && same(spec.clusterIPs ?? [], oldIPs)) {
    if (ip === '') delete spec.clusterIPs;
    else spec.clusterIPs = [ip];
  }
}

/** prepareServiceUpdate applies the registry's update rules to svc (in place) given the stored Service. */
export function prepareServiceUpdate(svc: JsonObject, old: unknown): void {
  const spec = svc.spec;
  if (!isObject(spec)) return;
  dropTypeDependentFields(spec, svc, old);
  patchAllocatedValues(spec, svc, old);
  normalizeClusterIPsOnUpdate(spec, old);
}
