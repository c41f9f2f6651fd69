import { validateLabels } from '../../labels/selector.js';
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, field, num, objAt, str } from '../../object.js';
import { isIPv6String, parseIP, validateIP, validateNonSpecialIP } from './core_ip.js';
import { validateServicePorts } from './core_service_ports.js';
import { dns1035LabelProblems, validateDNS1123Subdomain } from './core_syntax.js';

/** Service validation following pkg/apis/core/validation ValidateService / ValidateServiceUpdate. */

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITY_TYPES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const MAX_AFFINITY_SECONDS = 86400;

/** isHeadless: spec.clusterIP is "None". */
export function isHeadless(svc: unknown): boolean {
  return str(svc, 'spec', 'clusterIP') === 'None';
}

/** externallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs (upstream ExternallyAccessible). */
export function externallyAccessible(svc: unknown): boolean {
  const type = str(svc, 'spec', 'type');
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(svc, 'spec', 'externalIPs').length > 0);
}

function validateTypeSpecific(svc: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(svc, 'spec', 'type') ?? '';
  const clusterIPs = arr(svc, 'spec', 'clusterIPs');
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(svc)) {
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', clusterIPs[0] ?? 'None', `may not be set to 'None' for ${type} services`));
    if (type === 'LoadBalancer') errs.push(fieldErr.invalid('spec.clusterIP', 'None', "may not be set to 'None' for LoadBalancer services"));
  }
  if (type === 'ExternalName') {
    if (clusterIPs.length > 0) errs.push(fieldErr.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (arr(svc, 'spec', 'ipFamilies').length > 0) errs.push(fieldErr.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (field(svc, 'spec', 'ipFamilyPolicy') != null) errs.push(fieldErr.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    // A trailing dot marks the CNAME as fully qualified.
    const cname = (str(svc, 'spec', 'externalName') ?? '').replace(/\.$/, '');
    if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
    else errs.push(fieldErr.required('spec.externalName'));
  }
  if (type === '') errs.push(fieldErr.required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(fieldErr.notSupported('spec.type', type, SERVICE_TYPES));
  return errs;
}

function validateSessionAffinity(svc: unknown): FieldError[] {
  const affinity = str(svc, 'spec', 'sessionAffinity') ?? '';
  const config = field(svc, 'spec', 'sessionAffinityConfig');
  if (affinity === '') return [fieldErr.required('spec.sessionAffinity')];
  if (!AFFINITY_TYPES.includes(affinity)) return [fieldErr.notSupported('spec.sessionAffinity', affinity, AFFINITY_TYPES)];
  if (affinity === 'None') {
    return config == null ? [] : [fieldErr.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None')];
  }
  const detail = 'when session affinity type is ClientIP';
  if (config == null) return [fieldErr.required('spec.sessionAffinityConfig', detail)];
  if (objAt(config, 'clientIP') === undefined) return [fieldErr.required('spec.sessionAffinityConfig.clientIP', detail)];
  const timeout = num(config, 'clientIP', 'timeoutSeconds');
  const path = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds';
  if (timeout === undefined) return [fieldErr.required(path, detail)];
  if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
    return [fieldErr.invalid(path, timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** validateClusterIPs mirrors ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, families, policy. */
function validateClusterIPs(svc: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const clusterIP = str(svc, 'spec', 'clusterIP') ?? '';
  const ips = arr(svc, 'spec', 'clusterIPs').map((x) => (typeof x === 'string' ? x : ''));
  if (clusterIP !== '') {
    if (ips.length === 0) errs.push(fieldErr.required('spec.clusterIPs'));
    else if (ips[0] !== clusterIP) errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const families = arr(svc, 'spec', 'ipFamilies');
  const seen = new Set<unknown>();
  families.forEach((f, i) => {
    if (typeof f !== 'string' || !IP_FAMILIES.includes(f)) errs.push(fieldErr.notSupported(`spec.ipFamilies[${i}]`, f, IP_FAMILIES));
    if (seen.has(f)) errs.push(fieldErr.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policy = field(svc, 'spec', 'ipFamilyPolicy');
  if (policy != null && (typeof policy !== 'string' || !IP_FAMILY_POLICIES.includes(policy))) {
    errs.push(fieldErr.notSupported('spec.ipFamilyPolicy', policy, IP_FAMILY_POLICIES));
  }
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(fieldErr.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(ip, `spec.clusterIPs[${i}]`);
    badIPs ||= e.length > 0;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && isIPv6String(ips[0] ?? '') === isIPv6String(ips[1] ?? '')) {
    errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(svc)) errs.push(...validateFamiliesMatch(ips, families));
  return errs;
}

function validateFamiliesMatch(ips: string[], families: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  ips.forEach((ip, i) => {
    if (i >= families.length) return;
    const v6 = isIPv6String(ip);
    if (families[i] === 'IPv4' && v6) errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
    if (families[i] === 'IPv6' && !v6) errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
  });
  return errs;
}

function validateExternalIPsAndRanges(svc: unknown): FieldError[] {
  const errs: FieldError[] = [];
  arr(svc, 'spec', 'externalIPs').forEach((ip, i) => {
    const path = `spec.externalIPs[${i}]`;
    const e = validateIP(ip, path);
    errs.push(...(e.length ? e : validateNonSpecialIP(String(ip), path)));
  });
  const ranges = arr(svc, 'spec', 'loadBalancerSourceRanges');
  if (ranges.length > 0) {
    // Upstream spells this path with a capital L.
    if (str(svc, 'spec', 'type') !== 'LoadBalancer') errs.push(fieldErr.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      if (!isCIDR(typeof r === 'string' ? r.trim() : '')) {
        errs.push(fieldErr.invalid(`spec.LoadBalancerSourceRanges[${i}]`, r, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      }
    });
  }
  return errs;
}

function isCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  const b = parseIP(ip ?? '');
  if (!b || bits === undefined || rest.length || !/^[0-9]+$/.test(bits)) return false;
  return Number(bits) <= b.length * 8;
}

function validateTrafficPolicies(svc: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(svc, 'spec', 'type');
  const etp = str(svc, 'spec', 'externalTrafficPolicy') ?? '';
  if (!externallyAccessible(svc)) {
    if (etp !== '') errs.push(fieldErr.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (etp === '') errs.push(fieldErr.required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(fieldErr.notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  const hc = num(svc, 'spec', 'healthCheckNodePort') ?? 0;
  if (hc !== 0 && !(type === 'LoadBalancer' && etp === 'Local')) {
    errs.push(fieldErr.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  const itp = field(svc, 'spec', 'internalTrafficPolicy');
  if (itp == null && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')) errs.push(fieldErr.required('spec.internalTrafficPolicy'));
  if (itp != null && (typeof itp !== 'string' || !TRAFFIC_POLICIES.includes(itp))) errs.push(fieldErr.notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  const alloc = field(svc, 'spec', 'allocateLoadBalancerNodePorts');
  if (alloc != null && type !== 'LoadBalancer') errs.push(fieldErr.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  // Upstream reports this one without the `spec.` prefix.
  if (alloc == null && type === 'LoadBalancer') errs.push(fieldErr.required('allocateLoadBalancerNodePorts'));
  return errs;
}

/** validateService checks a Service's name (DNS-1035) and spec; status and ObjectMeta are checked elsewhere. */
export function validateService(svc: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(svc, 'metadata', 'name') ?? '';
  // The generic check already enforces a DNS-1123 label; a Service name must also start with a letter.
  if (/^[0-9]/.test(name)) errs.push(...dns1035LabelProblems(name).map((m) => fieldErr.invalid('metadata.name', name, m)));
  const type = str(svc, 'spec', 'type');
  if (arr(svc, 'spec', 'ports').length === 0 && !isHeadless(svc) && type !== 'ExternalName') errs.push(fieldErr.required('spec.ports'));
  errs.push(...validateTypeSpecific(svc));
  errs.push(...validateServicePorts(svc));
  const selector = field(svc, 'spec', 'selector');
  if (selector != null) errs.push(...validateLabels(selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(svc));
  errs.push(...validateClusterIPs(svc));
  errs.push(...validateExternalIPsAndRanges(svc));
  errs.push(...validateTrafficPolicies(svc));
  return errs;
}

/** validateClusterIPsUpdate: cluster IPs may not change once set, except when moving to, from or between ExternalName. */
export function validateClusterIPsUpdate(svc: unknown, old: unknown): FieldError[] {
  if (str(svc, 'spec', 'type') === 'ExternalName' || str(old, 'spec', 'type') === 'ExternalName') return [];
  if (isHeadless(svc) && isHeadless(old)) return [];
  const ips = arr(svc, 'spec', 'clusterIPs');
  const oldIPs = arr(old, 'spec', 'clusterIPs');
  const path = 'spec.clusterIPs';
  const changed = 'may not change once set';
  if (oldIPs.length === ips.length) {
    return oldIPs.flatMap((ip, i) => (ip !== ips[i] ? [fieldErr.invalid(`${path}[${i}]`, ips, changed)] : []));
  }
  const errs: FieldError[] = [];
  if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(fieldErr.invalid(`${path}[0]`, ips, 'primary clusterIP can not be unset'));
    else if (ips[0] !== oldIPs[0]) errs.push(fieldErr.invalid(`${path}[0]`, ips, changed));
    if (ips.length === 1 && str(svc, 'spec', 'ipFamilyPolicy') !== 'SingleStack') {
      errs.push(fieldErr.invalid(`${path}[0]`, ips, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(fieldErr.invalid(`${path}[0]`, ips, changed));
  }
  return errs;
}
