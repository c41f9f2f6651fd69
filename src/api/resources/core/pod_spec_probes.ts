/** Validation of probes and lifecycle handlers. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr } from '../../object.js';
import { isObject, type JsonObject } from '../../types.js';
import { isValidPortName, isValidPortNum } from './pod_spec_ports.js';

/** validatePortNumOrName checks an int-or-string port: a number 1–65535 or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldErr.invalid(path, port, m));
  if (typeof port === 'string' && port !== '') return isValidPortName(port).map((m) => fieldErr.invalid(path, port, m));
  return [fieldErr.required(path)];
}

function validateOneHandler(kind: string, h: JsonObject, path: string): FieldError[] {
  switch (kind) {
    case 'exec':
      return arr(h, 'command').length ? [] : [fieldErr.required(`${path}.command`)];
    case 'httpGet': {
      const errs = validatePortNumOrName(h['port'], `${path}.port`);
      const scheme = h['scheme'];
      if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(fieldErr.notSupported(`${path}.scheme`, scheme, ['HTTP', 'HTTPS']));
      return errs;
    }
    case 'tcpSocket':
      return validatePortNumOrName(h['port'], `${path}.port`);
    case 'grpc': {
      const p = h['port'];
      return typeof p === 'number' ? isValidPortNum(p).map((m) => fieldErr.invalid(`${path}.port`, p, m)) : [fieldErr.required(`${path}.port`)];
    }
    default:
      return [];
  }
}

/** validateHandler checks exactly one handler kind is set among kinds (exec, httpGet, tcpSocket, grpc/sleep). */
export function validateHandler(handler: JsonObject, kinds: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    const h = handler[kind];
    if (!isObject(h)) continue;
    if (n > 0) errs.push(fieldErr.forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
    else errs.push(...validateOneHandler(kind, h, `${path}.${kind}`));
    n++;
  }
  if (n === 0) errs.push(fieldErr.required(path, 'must specify a handler type'));
  return errs;
}

const probeNumbers = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];

/** validateProbe checks one probe; liveness and startup probes need successThreshold 1. */
export function validateProbe(probe: unknown, path: string, kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], path);
  for (const k of probeNumbers) {
    const v = probe[k];
    if (typeof v === 'number' && v < 0) errs.push(fieldErr.invalid(`${path}.${k}`, v, 'must be greater than or equal to 0'));
  }
  if (kind !== 'readinessProbe' && probe['successThreshold'] !== undefined && probe['successThreshold'] !== 1) {
    errs.push(fieldErr.invalid(`${path}.successThreshold`, probe['successThreshold'], 'must be 1'));
  }
  return errs;
}

/** validateLifecycle checks postStart/preStop handlers. */
export function validateLifecycle(lifecycle: unknown, path: string): FieldError[] {
  if (!isObject(lifecycle)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = lifecycle[hook];
    if (isObject(h)) errs.push(...validateHandler(h, ['exec', 'httpGet', 'tcpSocket', 'sleep'], `${path}.${hook}`));
  }
  return errs;
}
