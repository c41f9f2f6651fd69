/**
 * normalizeImageName spells an image reference the way container runtimes report it in
 * node.status.images: "nginx" → "docker.io/library/nginx:latest", "me/app:1" →
 * "docker.io/me/app:1"; references with a registry host or a digest keep them.
 */
export function normalizeImageName(image: string): string {
  let name = image;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasHost) name = slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!name.includes('@') && !lastSegment.includes(':')) name += ':latest';
  return name;
}
