import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, num, objAt, str } from '../../object.js';
import { isObject } from '../../types.js';
import {
  PORT_RANGE_MSG,
  SUPPORTED_PROTOCOLS,
  isValidPortNum,
  validateDNS1123Label,
  validatePortNumOrName,
  validateQualifiedName,
} from './core_syntax.js';

/** Service port checks (upstream validateServicePort plus the duplicate port / nodePort checks) and PORT(S) printing. */

const KUBELET_PORT = 10250;

/** validateServicePort checks one spec.ports entry; names must exist and be unique when there are several ports. */
function validateServicePort(p: unknown, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p, 'name') ?? '';
  if (requireName && name === '') errs.push(fieldErr.required(`${path}.name`));
  else if (name !== '') {
    errs.push(...validateDNS1123Label(name, `${path}.name`));
    if (names.has(name)) errs.push(fieldErr.duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const port = objAt(p)?.port;
  if (!isValidPortNum(port)) errs.push(fieldErr.invalid(`${path}.port`, port ?? 0, PORT_RANGE_MSG));
  const protocol = str(p, 'protocol') ?? '';
  if (protocol === '') errs.push(fieldErr.required(`${path}.protocol`));
  else if (!SUPPORTED_PROTOCOLS.includes(protocol)) errs.push(fieldErr.notSupported(`${path}.protocol`, protocol, SUPPORTED_PROTOCOLS));
  errs.push(...validatePortNumOrName(objAt(p)?.targetPort, `${path}.targetPort`));
  const appProtocol = str(p, 'appProtocol');
  if (appProtocol !== undefined) errs.push(...validateQualifiedName(appProtocol, `${path}.appProtocol`));
  return errs;
}

/** validateServicePorts checks spec.ports: each entry, nodePort rules by type, duplicates of (protocol, port) and (protocol, nodePort). */
export function validateServicePorts(svc: unknown): FieldError[] {
  const ports = arr(svc, 'spec', 'ports');
  const type = str(svc, 'spec', 'type');
  const names = new Set<string>();
  const errs: FieldError[] = [];
  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (!isObject(p)) {
      errs.push(fieldErr.typeInvalid(path, p, 'must be an object'));
      return;
    }
    errs.push(...validateServicePort(p, ports.length > 1, names, path));
    const port = num(p, 'port') ?? 0;
    const nodePort = num(p, 'nodePort') ?? 0;
    const protocol = str(p, 'protocol') ?? '';
    if (type === 'LoadBalancer' && port === KUBELET_PORT) {
      errs.push(fieldErr.invalid(path, port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
    }
    if (type === 'ClusterIP' && nodePort !== 0) errs.push(fieldErr.forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    if (nodePort !== 0) {
      const key = `${protocol}/${nodePort}`;
      if (seenNodePorts.has(key)) errs.push(fieldErr.duplicate(`${path}.nodePort`, nodePort));
      seenNodePorts.add(key);
    }
    const key = `${protocol}/${port}`;
    if (seenPorts.has(key)) errs.push(fieldErr.duplicate(path, { port, protocol }));
    seenPorts.add(key);
  });
  return errs;
}

/** servicePortsString renders the PORT(S) cell: `80/TCP`, `80:30080/TCP` with a nodePort, comma-joined, `<none>` when empty. */
export function servicePortsString(svc: unknown): string {
  const pieces = arr(svc, 'spec', 'ports').map((p) => {
    const port = num(p, 'port') ?? 0;
    const nodePort = num(p, 'nodePort') ?? 0;
    const protocol = str(p, 'protocol') ?? '';
    return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`;
  });
  return pieces.length ? pieces.join(',') : '<none>';
}
