/** Images of the fake runtime: containerd's spelling of references and the simulated registry. */
import { createHash } from 'node:crypto';

/** normalizeImage spells an image reference the way containerd reports it (`nginx` → `docker.io/library/nginx:latest`). */
export function normalizeImage(image: string): string {
  let ref = image;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (slash < 0) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

/** imageID is the digest reference containerd would report for an image (stable per reference). */
export function imageID(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  return `${repo}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}

/**
 * imageInSimulatedRegistry is the default simulated registry: every image exists except those
 * whose registry host cannot exist — the reserved `.invalid` top-level domain, or a host whose
 * first label is `invalid` (upstream e2e's `invalid.registry.k8s.io/...`, `invalid.example/...`).
 */
export function imageInSimulatedRegistry(image: string): boolean {
  const ref = normalizeImage(image);
  const host = ref.slice(0, ref.indexOf('/')).replace(/:\d+$/, '').toLowerCase();
  return !(host === 'invalid' || host.startsWith('invalid.') || host.endsWith('.invalid'));
}

/** pullErrorMessage is what containerd answers, through the kubelet, for an image whose registry host does not resolve. */
export function pullErrorMessage(image: string): string {
  const ref = normalizeImage(image);
  const slash = ref.indexOf('/');
  const host = ref.slice(0, slash);
  const at = ref.indexOf('@');
  const colon = ref.lastIndexOf(':');
  const repo = at >= 0 ? ref.slice(slash + 1, at) : ref.slice(slash + 1, colon);
  const tag = at >= 0 ? ref.slice(at + 1) : ref.slice(colon + 1);
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://${host}/v2/${repo}/manifests/${tag}": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
}

