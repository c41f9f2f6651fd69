/** Ingress (networking.k8s.io/v1) validation as pkg/apis/networking/validation does it. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { arr, field, objAt, str } from '../../object.js';
import type { KubeObject } from '../../types.js';
import { DNS1123_SUBDOMAIN_MAX, isDNS1123Subdomain, isValidPathSegmentName } from '../../validation/names.js';
import { parseIP } from '../core/core_ip.js';
import { dns1035LabelProblems, isValidPortNum, PORT_RANGE_MSG, portNameProblems } from '../core/core_syntax.js';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const wildcardRe = new RegExp(`^\\*\\.${LABEL}(\\.${LABEL})*$`);

/** isWildcardDNS1123Subdomain checks `*.example.com` hosts, returning problems (empty = valid). */
export function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1123_SUBDOMAIN_MAX) errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!wildcardRe.test(v)) {
    errs.push(
      `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.${LABEL}(\\.${LABEL})*')`,
    );
  }
  return errs;
}

/** validateHost checks a rule or TLS host: a DNS subdomain or a `*.` wildcard one. */
function validateHost(host: string, path: string): FieldError[] {
  const problems = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return problems.map((m) => fieldErr.invalid(path, host, m));
}

/** validateTypedLocalObjectReference checks {apiGroup, kind, name} references (resource backends, IngressClass parameters). */
export function validateTypedLocalObjectReference(ref: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name']) {
    const v = str(ref, key) ?? '';
    if (v === '') errs.push(fieldErr.required(`${path}.${key}`));
    else errs.push(...isValidPathSegmentName(v).map((m) => fieldErr.invalid(`${path}.${key}`, v, m)));
  }
  const group = str(ref, 'apiGroup');
  if (group !== undefined) errs.push(...isDNS1123Subdomain(group).map((m) => fieldErr.invalid(`${path}.apiGroup`, group, m)));
  return errs;
}

function validateServiceBackend(svc: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(svc, 'name') ?? '';
  if (name === '') errs.push(fieldErr.required(`${path}.service.name`));
  else errs.push(...dns1035LabelProblems(name).map((m) => fieldErr.invalid(`${path}.service.name`, name, m)));
  const portName = str(svc, 'port', 'name') ?? '';
  const portNumber = field(svc, 'port', 'number') ?? 0;
  if (portName !== '' && portNumber !== 0) {
    errs.push(fieldErr.invalid(path, '', 'cannot set both port name & port number'));
  } else if (portName !== '') {
    errs.push(...portNameProblems(portName).map((m) => fieldErr.invalid(`${path}.service.port.name`, portName, m)));
  } else if (portNumber !== 0) {
    if (!isValidPortNum(portNumber)) errs.push(fieldErr.invalid(`${path}.service.port.number`, portNumber, PORT_RANGE_MSG));
  } else {
    errs.push(fieldErr.required(path, 'port name or number is required'));
  }
  return errs;
}

/** validateIngressBackend checks a backend: exactly one of service (name + port) or resource. */
export function validateIngressBackend(backend: unknown, path: string): FieldError[] {
  const resource = field(backend, 'resource');
  const service = field(backend, 'service');
  const hasResource = resource !== undefined && resource !== null;
  const hasService = service !== undefined && service !== null;
  if (hasResource && hasService) return [fieldErr.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(resource, `${path}.resource`);
  if (hasService) return validateServiceBackend(service, path);
  return [fieldErr.invalid(path, '', 'resource or service backend is required')];
}

const SUPPORTED_PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

/** validateHTTPIngressPath checks one rules[i].http.paths[j]: pathType, path syntax for it, backend. */
export function validateHTTPIngressPath(p: unknown, path: string): FieldError[] {
  const pathType = field(p, 'pathType');
  if (pathType === undefined || pathType === null) return [fieldErr.required(`${path}.pathType`, 'pathType must be specified')];
  const value = str(p, 'path') ?? '';
  const errs: FieldError[] = [];
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(fieldErr.invalid(`${path}.path`, value, 'must be an absolute path'));
    for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(fieldErr.invalid(`${path}.path`, value, `must not contain '${seq}'`));
    for (const suf of INVALID_PATH_SUFFIXES) if (value.endsWith(suf)) errs.push(fieldErr.invalid(`${path}.path`, value, `cannot end with '${suf}'`));
  } else if (pathType === 'ImplementationSpecific') {
    if (value !== '' && !value.startsWith('/')) errs.push(fieldErr.invalid(`${path}.path`, value, 'must be an absolute path'));
  } else {
    errs.push(fieldErr.notSupported(`${path}.pathType`, pathType, SUPPORTED_PATH_TYPES));
  }
  errs.push(...validateIngressBackend(field(p, 'backend'), `${path}.backend`));
  return errs;
}

function validateRules(rules: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const host = str(rule, 'host') ?? '';
    if (host !== '') {
      if (parseIP(host)) errs.push(fieldErr.invalid(`${path}[${i}].host`, host, 'must be a DNS name, not an IP address'));
      errs.push(...validateHost(host, `${path}[${i}].host`));
    }
    const http = field(rule, 'http');
    if (http === undefined || http === null) return;
    const paths = arr(http, 'paths');
    if (paths.length === 0) errs.push(fieldErr.required(`${path}[${i}].http.paths`));
    paths.forEach((p, j) => errs.push(...validateHTTPIngressPath(p, `${path}[${i}].http.paths[${j}]`)));
  });
  return errs;
}

function validateTLS(tls: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((t, i) => {
    arr(t, 'hosts').forEach((h, j) => {
      if (typeof h === 'string') errs.push(...validateHost(h, `${path}[${i}].hosts[${j}]`));
    });
    const secret = str(t, 'secretName') ?? '';
    if (secret !== '') errs.push(...isDNS1123Subdomain(secret).map((m) => fieldErr.invalid(`${path}[${i}].secretName`, secret, m)));
  });
  return errs;
}

/** validateIngressSpec is ValidateIngressSpec for spec. */
export function validateIngressSpec(spec: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(spec, 'rules');
  const defaultBackend = field(spec, 'defaultBackend');
  const hasDefault = defaultBackend !== undefined && defaultBackend !== null;
  if (rules.length === 0 && !hasDefault) errs.push(fieldErr.invalid(path, field(spec, 'rules') ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (hasDefault) errs.push(...validateIngressBackend(defaultBackend, `${path}.defaultBackend`));
  if (rules.length > 0) errs.push(...validateRules(rules, `${path}.rules`));
  errs.push(...validateTLS(arr(spec, 'tls'), `${path}.tls`));
  const className = str(spec, 'ingressClassName');
  if (className !== undefined) errs.push(...isDNS1123Subdomain(className).map((m) => fieldErr.invalid(`${path}.ingressClassName`, className, m)));
  return errs;
}

/** INGRESS_CLASS_ANNOTATION is the deprecated annotation naming an Ingress's class. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** validateIngress is ValidateIngressCreate / ValidateIngressUpdate. */
export function validateIngress(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = objAt(obj, 'spec') ?? {};
  const errs: FieldError[] = [];
  const annotation = obj.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  const className = str(spec, 'ingressClassName');
  if (!old && annotation !== undefined && className !== undefined && annotation !== className) {
    errs.push(fieldErr.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
  }
  errs.push(...validateIngressSpec(spec, 'spec'));
  return errs;
}
