/** Ingress (networking.k8s.io/v1, also served as v1beta1): validation, conversion and printing as kube-apiserver v1.32 does them. */
import { arr, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { keepStatus, resetStatus } from '../apps/workload_validation.js';
import { ingressV1beta1Converters } from './ingress_convert.js';
import { validateIngress } from './ingress_validation.js';

/** ingressHostsCell is formatHosts: up to three rule hosts, `+ N more...`, or `*` when no rule names a host. */
export function ingressHostsCell(obj: KubeObject): string {
  const rules = arr(obj, 'spec', 'rules');
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    const host = str(rule, 'host') ?? '';
    if (!more && host !== '') list.push(host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - max} more...` : list.join(',');
}

/** ingressAddressCell lists the load balancer IPs (or hostnames), sorted and de-duplicated. */
export function ingressAddressCell(obj: KubeObject): string {
  const set = new Set<string>();
  for (const ing of arr(obj, 'status', 'loadBalancer', 'ingress')) {
    const ip = str(ing, 'ip') ?? '';
    const hostname = str(ing, 'hostname') ?? '';
    if (ip !== '') set.add(ip);
    else if (hostname !== '') set.add(hostname);
  }
  return [...set].sort().join(',');
}

/** ingressRow is printIngress: name, class, hosts, address, ports ("80" or "80, 443" with TLS), age. */
export function ingressRow(obj: KubeObject, now: number): unknown[] {
  return [
    obj.metadata.name ?? '',
    str(obj, 'spec', 'ingressClassName') ?? '<none>',
    ingressHostsCell(obj),
    ingressAddressCell(obj),
    arr(obj, 'spec', 'tls').length > 0 ? '80, 443' : '80',
    age(obj.metadata.creationTimestamp, now),
  ];
}

/** ingresses is the networking.k8s.io/v1 Ingress resource (short name `ing`), also served as v1beta1. */
export const ingresses: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: true,
  subresources: [],
  otherVersions: ingressV1beta1Converters,
  defaults: () => undefined,
  validate: validateIngress,
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  columns: [
    NAME_COLUMN,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  row: ingressRow,
};
