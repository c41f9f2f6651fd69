import type { IngressModel, Location, Target, VirtualHost } from './routes.js';

/** NginxConfigOptions place the proxy: where it listens and where its files live. */
export interface NginxConfigOptions {
  listenIP: string;
  httpPort: number;
  httpsPort: number;
  /** dir holds the pid file, logs and temp folders. */
  dir: string;
  /** certFile gives the file (certificate then key) written for a TLS Secret key. */
  certFile: (secretKey: string) => string;
  /** user runs the worker processes (only when the master runs as root). */
  user?: string;
}

const BODIES: Record<number, string> = { 404: '404 page not found', 503: 'no available server' };

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function serverName(host: string): string {
  if (host === '') return '_';
  // Kubernetes wildcards match exactly one DNS label; nginx's own "*." would match several.
  if (host.startsWith('*.')) return `"~^[^.]+${host.slice(1).replace(/\./g, '\\.')}$"`;
  return host;
}

function targetLines(t: Target): string[] {
  if (t.kind === 'status') return [`return ${t.code} ${quote(`${BODIES[t.code]}\n`)};`];
  return [`proxy_pass http://${t.upstream};`];
}

function location(l: Location): string[] {
  return [`location ${l.match === 'exact' ? '= ' : ''}${quote(l.path)} {`, ...targetLines(l.target).map((x) => `  ${x}`), '}'];
}

function server(h: VirtualHost, o: NginxConfigOptions, certFile: string | undefined): string[] {
  const catchAll = h.host === '';
  const def = catchAll ? ' default_server' : '';
  const lines = [`listen ${o.listenIP}:${o.httpPort}${def};`];
  if (catchAll) lines.push(`listen ${o.listenIP}:${o.httpsPort} ssl http2 default_server;`, 'ssl_reject_handshake on;');
  else if (certFile) lines.push(`listen ${o.listenIP}:${o.httpsPort} ssl http2;`, `ssl_certificate ${quote(certFile)};`, `ssl_certificate_key ${quote(certFile)};`);
  lines.push(`server_name ${serverName(h.host)};`);
  for (const l of h.locations) lines.push(...location(l));
  return ['server {', ...lines.map((x) => `  ${x}`), '}'];
}

/**
 * renderNginxConfig writes the whole nginx configuration for a model: one upstream per Service
 * port (keep-alive connections to its endpoints), one server per host, WebSocket upgrades passed
 * through, X-Forwarded-* set, and a catch-all server answering unknown hosts.
 */
export function renderNginxConfig(m: IngressModel, o: NginxConfigOptions): string {
  const tmp = (n: string): string => `${n}_temp_path ${quote(`${o.dir}/tmp/${n}`)};`;
  const http = [
    'access_log off;',
    'server_tokens off;',
    'default_type text/plain;',
    tmp('client_body'),
    tmp('proxy'),
    tmp('fastcgi'),
    tmp('uwsgi'),
    tmp('scgi'),
    'server_names_hash_bucket_size 256;',
    'server_names_hash_max_size 8192;',
    'variables_hash_bucket_size 256;',
    'keepalive_timeout 75s;',
    'keepalive_requests 10000;',
    'client_max_body_size 0;',
    'proxy_http_version 1.1;',
    'proxy_connect_timeout 5s;',
    'proxy_read_timeout 3600s;',
    'proxy_send_timeout 3600s;',
    'proxy_next_upstream error timeout;',
    'proxy_redirect off;',
    'map $http_upgrade $connection_upgrade {',
    "  default upgrade;",
    "  '' '';",
    '}',
    'proxy_set_header Host $http_host;',
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $connection_upgrade;',
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Host $host;',
    'proxy_set_header X-Forwarded-Port $server_port;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
  ];
  for (const u of m.upstreams) {
    http.push(`upstream ${u.name} {`, ...u.servers.map((s) => `  server ${s} max_fails=0;`), '  keepalive 64;', '  keepalive_timeout 60s;', '}');
  }
  for (const h of m.hosts) http.push(...server(h, o, h.tls ? o.certFile(h.tls) : undefined));
  return [
    '# written by skiff ingress; every change replaces this file and reloads nginx',
    ...(o.user ? [`user ${o.user};`] : []),
    'daemon off;',
    'worker_processes auto;',
    'worker_rlimit_nofile 65536;',
    'worker_shutdown_timeout 240s;',
    `pid ${quote(`${o.dir}/nginx.pid`)};`,
    `error_log ${quote(`${o.dir}/error.log`)} warn;`,
    'events {',
    '  worker_connections 16384;',
    '}',
    'http {',
    ...http.map((x) => `  ${x}`),
    '}',
    '',
  ].join('\n');
}
