import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, num, str } from '../../object.js';
import type { ResourceType } from '../../resource.js';
import { isObject } from '../../types.js';
import { isDNS1123Subdomain } from '../../validation/names.js';
import { validateIP, validateNonSpecialIP } from './core_ip.js';
import { PORT_RANGE_MSG, SUPPORTED_PROTOCOLS, isValidPortNum, validateDNS1123Label, validateQualifiedName } from './core_syntax.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, nameOf } from './core_table.js';

function validateAddress(a: unknown, path: string): FieldError[] {
  const errs = validateIP(str(a, 'ip') ?? '', `${path}.ip`);
  const hostname = str(a, 'hostname') ?? '';
  if (hostname) errs.push(...validateDNS1123Label(hostname, `${path}.hostname`));
  const nodeName = str(a, 'nodeName');
  if (nodeName !== undefined) errs.push(...isDNS1123Subdomain(nodeName).map((m) => fieldErr.invalid(`${path}.nodeName`, nodeName, m)));
  errs.push(...validateNonSpecialIP(str(a, 'ip') ?? '', `${path}.ip`));
  return errs;
}

function validatePort(p: unknown, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p, 'name') ?? '';
  if (requireName && name === '') errs.push(fieldErr.required(`${path}.name`));
  else if (name !== '') errs.push(...validateDNS1123Label(name, `${path}.name`));
  const port = isObject(p) ? p.port : undefined;
  if (!isValidPortNum(port)) errs.push(fieldErr.invalid(`${path}.port`, port ?? 0, PORT_RANGE_MSG));
  const protocol = str(p, 'protocol') ?? '';
  if (protocol === '') errs.push(fieldErr.required(`${path}.protocol`));
  else if (!SUPPORTED_PROTOCOLS.includes(protocol)) errs.push(fieldErr.notSupported(`${path}.protocol`, protocol, SUPPORTED_PROTOCOLS));
  const appProtocol = str(p, 'appProtocol');
  if (appProtocol !== undefined) errs.push(...validateQualifiedName(appProtocol, `${path}.appProtocol`));
  return errs;
}

/** validateSubsets checks Endpoints subsets: each needs addresses, addresses are usable IPs, ports are valid. */
function validateSubsets(obj: unknown): FieldError[] {
  const errs: FieldError[] = [];
  arr(obj, 'subsets').forEach((ss, i) => {
    const path = `subsets[${i}]`;
    const addrs = arr(ss, 'addresses');
    const notReady = arr(ss, 'notReadyAddresses');
    if (addrs.length === 0 && notReady.length === 0) errs.push(fieldErr.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, `${path}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${path}.notReadyAddresses[${j}]`)));
    const ports = arr(ss, 'ports');
    ports.forEach((p, j) => errs.push(...validatePort(p, ports.length > 1, `${path}.ports[${j}]`)));
  });
  return errs;
}

/** formatEndpoints renders the ENDPOINTS cell: up to 3 `ip:port` (or bare IPs without ports), then ` + N more...`, `<none>` when empty. */
export function formatEndpoints(obj: unknown): string {
  const subsets = arr(obj, 'subsets');
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (s: string): void => {
    if (list.length === max) more = true;
    else list.push(s);
  };
  for (const ss of subsets) {
    const addrs = arr(ss, 'addresses').map((a) => str(a, 'ip') ?? '');
    const ports = arr(ss, 'ports');
    if (ports.length === 0) {
      // Headless services may have endpoints without ports.
      count += addrs.length;
      addrs.forEach(add);
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      const port = num(p, 'port') ?? 0;
      for (const ip of addrs) add(ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

/** endpoints (v1 Endpoints, `ep`): subsets of addresses and ports behind a Service; port protocols default to TCP. */
export const endpoints: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  defaults(obj) {
    for (const ss of arr(obj, 'subsets')) {
      for (const p of arr(ss, 'ports')) if (isObject(p) && p.protocol === undefined) p.protocol = 'TCP';
    }
  },
  validate(obj) {
    return validateSubsets(obj);
  },
  columns: [NAME_COLUMN, column('Endpoints', 'The set of all endpoints is the union of all subsets.'), AGE_COLUMN],
  row(obj, now) {
    return [nameOf(obj), formatEndpoints(obj), ageOf(obj, now)];
  },
};
