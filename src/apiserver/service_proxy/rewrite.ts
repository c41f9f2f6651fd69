import { posix } from 'node:path';

// Bytes Go's url.PathEscape-for-paths leaves alone: unreserved, sub-delims it allows, '/', ':' and '@'.
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

/** escapePath escapes a decoded path as Go's url.URL.EscapedPath does (what upstream sends to the backend). */
export function escapePath(path: string): string {
  let out = '';
  for (const ch of path) {
    if (PATH_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * proxiedPath is the backend path of a proxy request: the parts after the subresource joined
 * with a leading slash, and a trailing slash when the request had one (upstream's subpath);
 * '' for `.../proxy` itself.
 */
export function proxiedPath(rest: string[], requestPath: string): string {
  let p = rest.length ? '/' + rest.join('/') : '';
  if (requestPath.endsWith('/') && !p.endsWith('/')) p += '/';
  return p;
}

/**
 * pathPrepend is the request path up to the proxied part (`.../proxy`): what a backend's absolute
 * paths get prefixed with. `restCount` is the number of path parts after the subresource.
 */
export function pathPrepend(requestPath: string, restCount: number): string {
  const segments = requestPath.split('/');
  while (segments.length > 1 && segments.at(-1) === '') segments.pop();
  return segments.slice(0, segments.length - restCount).join('/');
}

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:)?(\/\/[^/?#]*)?([^?#]*)(.*)$/s;

/**
 * rewriteLocation makes a backend's redirect go through the proxy (k8s.io/apimachinery's
 * proxy Transport rewriteURL): a URL on another host or with a relative path stays; one on the
 * backend's host or the request's Host loses scheme and host (unless it names the request's
 * Host) and gets the proxy path prefix.
 */
export function rewriteLocation(location: string, backendHost: string, requestHost: string, prepend: string): string {
  const m = URL_PARTS.exec(location);
  if (!m) return location;
  let scheme = m[1] ?? '';
  let authority = m[2] ?? '';
  const path = m[3] ?? '';
  const tail = m[4] ?? '';
  const host = authority.slice(2);
  const differentHost = host !== '' && host !== backendHost && host !== requestHost;
  if (differentHost || !path.startsWith('/')) return location;
  if (host !== requestHost) {
    scheme = '';
    authority = '';
  }
  if (path.startsWith(prepend)) return scheme + authority + path + tail;
  let joined = posix.join(prepend, path);
  if (path.endsWith('/') && !joined.endsWith('/')) joined += '/';
  return scheme + authority + joined + tail;
}
