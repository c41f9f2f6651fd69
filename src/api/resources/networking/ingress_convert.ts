/**
 * Conversion between the stored networking.k8s.io/v1 Ingress and the removed v1beta1 shapes
 * (networking.k8s.io/v1beta1 and extensions/v1beta1, identical on the wire), so manifests written
 * for Kubernetes < 1.22 still apply. Differences: `spec.backend` ↔ `spec.defaultBackend`, and
 * `backend.serviceName` / `servicePort` (int or string) ↔ `backend.service.name` /
 * `port.number|name`; v1beta1 defaults a missing pathType to ImplementationSpecific.
 */
import { deepCopy, field, str } from '../../object.js';
import type { VersionConverter } from '../../resource.js';
import { isObject, type JsonObject, type KubeObject } from '../../types.js';

type BackendFn = (b: JsonObject) => JsonObject;

/** backendToV1 converts a v1beta1 IngressBackend to v1. */
export function backendToV1(b: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (b.resource !== undefined) out.resource = deepCopy(b.resource);
  const name = typeof b.serviceName === 'string' ? b.serviceName : '';
  const port = b.servicePort;
  // Upstream creates a service backend when any of name / port is set (a string port counts even if empty).
  if (name !== '' || typeof port === 'string' || (typeof port === 'number' && port !== 0)) {
    out.service = { name, port: typeof port === 'string' ? { name: port } : typeof port === 'number' ? { number: port } : {} };
  }
  return out;
}

/** backendFromV1 converts a v1 IngressBackend to v1beta1. */
export function backendFromV1(b: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (b.resource !== undefined) out.resource = deepCopy(b.resource);
  if (isObject(b.service)) {
    out.serviceName = str(b.service, 'name') ?? '';
    const portName = str(b.service, 'port', 'name') ?? '';
    const portNumber = field(b.service, 'port', 'number');
    out.servicePort = portName !== '' ? portName : typeof portNumber === 'number' ? portNumber : 0;
  }
  return out;
}

function convertRules(rules: unknown, convert: BackendFn, defaultPathType: boolean): unknown {
  if (!Array.isArray(rules)) return rules;
  return rules.map((rule) => {
    if (!isObject(rule) || !isObject(rule.http) || !Array.isArray(rule.http.paths)) return deepCopy(rule);
    const paths = rule.http.paths.map((p) => {
      if (!isObject(p)) return deepCopy(p);
      const out: JsonObject = { ...deepCopy(p) };
      if (isObject(p.backend)) out.backend = convert(p.backend);
      if (defaultPathType && (out.pathType === undefined || out.pathType === null || out.pathType === '')) out.pathType = 'ImplementationSpecific';
      return out;
    });
    return { ...deepCopy(rule), http: { ...deepCopy(rule.http), paths } };
  });
}

function convertIngress(obj: KubeObject, apiVersion: string, toV1: boolean): KubeObject {
  const out = deepCopy(obj);
  out.apiVersion = apiVersion;
  out.kind = 'Ingress';
  if (!isObject(out.spec)) return out;
  const spec = out.spec;
  const [from, to] = toV1 ? ['backend', 'defaultBackend'] : ['defaultBackend', 'backend'];
  const convert = toV1 ? backendToV1 : backendFromV1;
  const backend = spec[from];
  delete spec[from];
  if (isObject(backend)) spec[to] = convert(backend);
  if (spec.rules !== undefined) spec.rules = convertRules(spec.rules, convert, toV1);
  return out;
}

/** ingressToV1 converts a v1beta1-shaped Ingress into networking.k8s.io/v1. */
export function ingressToV1(obj: KubeObject): KubeObject {
  return convertIngress(obj, 'networking.k8s.io/v1', true);
}

/** ingressFromV1 converts a v1 Ingress into the v1beta1 shape under apiVersion (`networking.k8s.io/v1beta1` or `extensions/v1beta1`). */
export function ingressFromV1(obj: KubeObject, apiVersion: string): KubeObject {
  return convertIngress(obj, apiVersion, false);
}

function v1beta1Converter(group: string): VersionConverter {
  return {
    group,
    version: 'v1beta1',
    toStored: ingressToV1,
    fromStored: (obj) => ingressFromV1(obj, `${group}/v1beta1`),
  };
}

/** ingressV1beta1Converters serve Ingress as networking.k8s.io/v1beta1 and extensions/v1beta1. */
export const ingressV1beta1Converters: VersionConverter[] = [v1beta1Converter('networking.k8s.io'), v1beta1Converter('extensions')];
