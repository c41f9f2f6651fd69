#!/usr/bin/env node
// build-images.mjs builds small example OCI image archives from Debian packages installed on this
// machine, for clusters without internet access (import them with `skiff images import` or drop
// them into <data-dir>/agent/images/):
//   skiff.local/busybox:1.35  from busybox-static (/bin/busybox + applet links)
//   skiff.local/nginx:1.22    from nginx-light (/usr/sbin/nginx + the libraries ldd lists)
//   docker.io/library/mongo:latest, docker.io/sdelements/lets-chat:latest: busybox stand-ins with
//     the roles of the tutorial's images (a message store on 27017; a web page on 8080 that stores
//     and lists messages through the Service `mongo`), scripts in scripts/images/
// Usage: node scripts/build-images.mjs [OUT_DIR]   (default dist/images; run `npm run build` first)
// An image whose package is missing is skipped with a message naming the package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const imagesModule = join(repo, 'dist/src/agent/images');
if (!existsSync(join(imagesModule, 'oci_tar.js'))) {
  console.error(`build-images: ${imagesModule}/oci_tar.js is missing: run 'npx tsc -p tsconfig.json' first`);
  process.exit(1);
}
const { buildOciImage } = await import(join(imagesModule, 'oci_tar.js'));
const { buildBusyboxImage, etcFiles } = await import(join(imagesModule, 'busybox_image.js'));

const outDir = resolve(process.argv[2] ?? join(repo, 'dist/images'));
mkdirSync(outDir, { recursive: true });

/** sharedLibraries lists the absolute paths `ldd` reports for a binary (loader included). */
function sharedLibraries(binary) {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = [];
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

const indexHtml = `<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body>
<h1>Welcome to nginx!</h1>
<p>Served by skiff.local/nginx:1.22, built by skiff from Debian's nginx-light.</p>
</body>
</html>
`;

const nginxConf = `user root;
worker_processes 1;
daemon off;
pid /run/nginx.pid;
error_log stderr notice;

events {
  worker_connections 1024;
}

http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  keepalive_timeout 65;

  server {
    listen 80 default_server;
    server_name _;
    root /usr/share/nginx/html;
    index index.html;
    location / {
      try_files $uri $uri/ =404;
    }
  }
}
`;

function buildNginxImage() {
  const nginx = '/usr/sbin/nginx';
  if (!existsSync(nginx)) throw new Error(`${nginx} not found: install the Debian package nginx-light (apt-get install nginx-light)`);
  const rel = (p) => p.replace(/^\/+/, '');
  const libs = sharedLibraries(nginx).map((p) => ({ type: 'file', path: rel(p), data: readFileSync(p), mode: 0o755 }));
  const mime = existsSync('/etc/nginx/mime.types') ? readFileSync('/etc/nginx/mime.types') : Buffer.from('types { text/html html; }\n');
  const entries = [
    { type: 'file', path: 'usr/sbin/nginx', data: readFileSync(nginx), mode: 0o755 },
    ...libs,
    { type: 'file', path: 'etc/nginx/nginx.conf', data: Buffer.from(nginxConf) },
    { type: 'file', path: 'etc/nginx/mime.types', data: mime },
    { type: 'file', path: 'usr/share/nginx/html/index.html', data: Buffer.from(indexHtml) },
    // nginx opens its compiled-in log path before reading the config: send it to the container's output.
    { type: 'symlink', path: 'var/log/nginx/error.log', target: '/dev/stderr' },
    { type: 'symlink', path: 'var/log/nginx/access.log', target: '/dev/stdout' },
    { type: 'dir', path: 'var/lib/nginx' },
    { type: 'dir', path: 'run' },
    ...etcFiles(),
  ];
  return buildOciImage({
    name: 'skiff.local/nginx:1.22',
    layers: [entries],
    config: { entrypoint: ['/usr/sbin/nginx'], exposedPorts: ['80/tcp'], stopSignal: 'SIGQUIT' },
  });
}

/** standinImage is busybox plus one script served by `nc -ll -e` (one process per connection) on port. */
function standinImage(name, script, port, dataDir) {
  const files = [{ type: 'file', path: 'usr/local/bin/serve', data: readFileSync(join(repo, 'scripts/images', script)), mode: 0o755 }];
  if (dataDir) files.push({ type: 'dir', path: dataDir });
  return buildBusyboxImage(name, undefined, {
    files,
    config: { entrypoint: ['nc', '-ll', '-p', String(port), '-e', '/usr/local/bin/serve'], exposedPorts: [`${port}/tcp`], env: ['PATH=/bin'] },
  });
}

/** apiClientImage is busybox plus Debian's openssl and kube-get, an in-cluster API client that checks the CA. */
function apiClientImage() {
  const openssl = '/usr/bin/openssl';
  if (!existsSync(openssl)) throw new Error(`${openssl} not found: install the Debian package openssl`);
  const rel = (p) => p.replace(/^\/+/, '');
  const files = [
    { type: 'file', path: 'usr/bin/openssl', data: readFileSync(openssl), mode: 0o755 },
    ...sharedLibraries(openssl).map((p) => ({ type: 'file', path: rel(p), data: readFileSync(p), mode: 0o755 })),
    { type: 'file', path: 'usr/local/bin/kube-get', data: readFileSync(join(repo, 'scripts/images', 'kube-get.sh')), mode: 0o755 },
  ];
  return buildBusyboxImage('skiff.local/api-client:1', undefined, { files, config: { entrypoint: ['sleep', '3600'], env: ['PATH=/usr/local/bin:/usr/bin:/bin'] } });
}

const builds = [
  ['busybox-1.35.tar', () => buildBusyboxImage()],
  ['nginx-1.22.tar', buildNginxImage],
  ['api-client.tar', apiClientImage],
  ['mongo-standin.tar', () => standinImage('docker.io/library/mongo:latest', 'mongo-standin.sh', 27017, 'data/db')],
  ['lets-chat-standin.tar', () => standinImage('docker.io/sdelements/lets-chat:latest', 'lets-chat-standin.sh', 8080)],
];
let failed = 0;
for (const [file, build] of builds) {
  try {
    const image = build();
    writeFileSync(join(outDir, file), image.tar);
    console.log(`${join(outDir, file)}: ${(image.tar.length / (1024 * 1024)).toFixed(1)} MiB (${image.manifestDigest})`);
  } catch (e) {
    failed++;
    console.error(`${file}: skipped: ${e.message}`);
  }
}
process.exit(failed === builds.length ? 1 : 0);
