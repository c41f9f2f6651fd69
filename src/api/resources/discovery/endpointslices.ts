/** EndpointSlice (discovery.k8s.io/v1): defaults, validation and printing as kube-apiserver v1.32 does them. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabels } from '../../labels/selector.js';
import { arr, field, num, setDefault, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { age } from '../../table/format.js';
import { isObject, type KubeObject } from '../../types.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.js';
import { validateImmutable } from '../apps/workload_validation.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../apps/workload_columns.js';
import { isIPv6String, parseIP, validateNonSpecialIP } from '../core/core_ip.js';
import { validateDNS1123Label, validateQualifiedName } from '../core/core_syntax.js';

/** SERVICE_NAME_LABEL links an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** MANAGED_BY_LABEL names the controller managing an EndpointSlice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** defaultEndpointSlice applies SetDefaults_EndpointPort: port name "" and protocol TCP. */
export function defaultEndpointSlice(obj: KubeObject): void {
  for (const p of arr(obj, 'ports')) {
    if (!isObject(p)) continue;
    setDefault(p, 'name', '');
    setDefault(p, 'protocol', 'TCP');
  }
}

/** validateFQDN is IsFullyQualifiedDomainName (a trailing dot is allowed). */
export function validateFQDN(value: string, path: string): FieldError[] {
  if (value === '') return [fieldErr.required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length > 0) return [fieldErr.invalid(path, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [fieldErr.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length > 0) return [fieldErr.invalid(path, l, e.join(','))];
  }
  return [];
}

function validateAddress(addr: string, addressType: string, path: string): FieldError[] {
  if (addressType === 'IPv4' || addressType === 'IPv6') {
    const ok = parseIP(addr) !== undefined && isIPv6String(addr) === (addressType === 'IPv6');
    return ok ? validateNonSpecialIP(addr, path) : [fieldErr.invalid(path, addr, `must be a valid ${addressType} address`)];
  }
  return addressType === 'FQDN' ? validateFQDN(addr, path) : [];
}

function validateEndpoints(endpoints: unknown[], addressType: string): FieldError[] {
  if (endpoints.length > 1000) return [{ type: 'FieldValueTooMany', field: 'endpoints', badValue: endpoints.length, detail: 'must have at most 1000 items' }];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addrs = arr(ep, 'addresses');
    if (addrs.length === 0) errs.push(fieldErr.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push({ type: 'FieldValueTooMany', field: `${p}.addresses`, badValue: addrs.length, detail: 'must have at most 100 items' });
    addrs.forEach((a, j) => errs.push(...validateAddress(typeof a === 'string' ? a : '', addressType, `${p}.addresses[${j}]`)));
    const nodeName = str(ep, 'nodeName');
    if (nodeName !== undefined) errs.push(...isDNS1123Subdomain(nodeName).map((m) => fieldErr.invalid(`${p}.nodeName`, nodeName, m)));
    const topology = field(ep, 'deprecatedTopology');
    if (topology !== undefined) errs.push(...validateLabels(topology, `${p}.deprecatedTopology`));
    const hostname = str(ep, 'hostname');
    if (hostname !== undefined) errs.push(...validateDNS1123Label(hostname, `${p}.hostname`));
  });
  return errs;
}

function validatePorts(ports: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = str(port, 'name') ?? '';
    if (name !== '') errs.push(...validateDNS1123Label(name, `${p}.name`));
    if (seen.has(name)) errs.push(fieldErr.duplicate(`${p}.name`, name));
    seen.add(name);
    const protocol = field(port, 'protocol');
    if (protocol === undefined || protocol === null) errs.push(fieldErr.required(`${p}.protocol`));
    else if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol)) errs.push(fieldErr.notSupported(`${p}.protocol`, protocol, PROTOCOLS));
    const appProtocol = str(port, 'appProtocol');
    if (appProtocol !== undefined) errs.push(...validateQualifiedName(appProtocol, `${p}.appProtocol`));
  });
  return errs;
}

/** validateEndpointSlice is ValidateEndpointSlice / ValidateEndpointSliceUpdate (addressType immutable). */
export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const addressType = str(obj, 'addressType') ?? '';
  const errs = [...validateEndpoints(arr(obj, 'endpoints'), addressType), ...validatePorts(arr(obj, 'ports'))];
  if (addressType === '') errs.push(fieldErr.required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(fieldErr.notSupported('addressType', addressType, ADDRESS_TYPES));
  if (old) errs.push(...validateImmutable(obj.addressType, old.addressType, 'addressType'));
  return errs;
}

/** listWithMore joins up to three items, adding `+ N more...`; "<unset>" when empty. */
function listWithMore(items: string[]): string {
  const max = 3;
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length === 0 ? '<unset>' : items.join(',');
}

/** endpointSliceRow is printEndpointSlice: address type, ports (number, name or `*`), endpoint addresses, age. */
export function endpointSliceRow(obj: KubeObject, now: number): unknown[] {
  const ports = arr(obj, 'ports').map((p) => {
    const n = num(p, 'port');
    return n !== undefined ? String(n) : (str(p, 'name') ?? '*');
  });
  const addresses = arr(obj, 'endpoints').flatMap((ep) => arr(ep, 'addresses').map(String));
  return [obj.metadata.name ?? '', str(obj, 'addressType') ?? '', listWithMore(ports), listWithMore(addresses), age(obj.metadata.creationTimestamp, now)];
}

/** endpointslices is the discovery.k8s.io/v1 EndpointSlice resource. */
export const endpointslices: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  shortNames: [],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: true,
  subresources: [],
  defaults: defaultEndpointSlice,
  validate: validateEndpointSlice,
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
    AGE_COLUMN,
  ],
  row: endpointSliceRow,
};
