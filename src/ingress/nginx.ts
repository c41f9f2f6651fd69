import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../lib/log.js';

/** NGINX_USER runs nginx's workers (Debian's unprivileged account) when skiff runs as root. */
export const NGINX_USER = { name: 'nobody nogroup', uid: 65534, gid: 65534 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdlineHas(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dir);
  } catch {
    return false;
  }
}

/**
 * Nginx runs one nginx master for one node's ingress: each new configuration is checked with
 * `nginx -t` first (a bad one never replaces a good one), then installed and loaded with SIGHUP,
 * which lets old workers finish the requests in flight. A master left running by a previous skiff
 * process is adopted rather than fought over the ports.
 */
export class Nginx {
  private child: ChildProcess | undefined;
  private pid: number | undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private backoff = 1000;

  constructor(private o: { dir: string; binary: string; logger: Logger }) {}

  get confPath(): string {
    return join(this.o.dir, 'nginx.conf');
  }

  /** apply checks and loads a configuration; throws with nginx's own message when it is refused. */
  async apply(conf: string): Promise<void> {
    await mkdir(join(this.o.dir, 'tmp'), { recursive: true });
    const next = join(this.o.dir, 'nginx.conf.next');
    await writeFile(next, conf, { mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      execFile(this.o.binary, ['-t', '-q', '-p', this.o.dir, '-c', next], (err, _out, stderr) => (err ? reject(new Error(`nginx refused the configuration: ${stderr.trim() || err.message}`)) : resolve()));
    });
    await rename(next, this.confPath);
    this.adopt();
    if (this.pid !== undefined && alive(this.pid)) process.kill(this.pid, 'SIGHUP');
    else this.start();
  }

  /** adopt picks up a master started by an earlier skiff process for the same folder. */
  private adopt(): void {
    if (this.pid !== undefined) return;
    try {
      const pid = Number(readFileSync(join(this.o.dir, 'nginx.pid'), 'utf8').trim());
      if (pid > 0 && alive(pid) && cmdlineHas(pid, this.o.dir)) {
        this.pid = pid;
        this.o.logger.info('adopted the running nginx', { pid });
      }
    } catch {
      // no pid file: nothing to adopt
    }
  }

  private start(): void {
    if (this.stopped) return;
    const out = openSync(join(this.o.dir, 'nginx.out'), 'a');
    const child = spawn(this.o.binary, ['-p', this.o.dir, '-c', this.confPath], { stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    this.pid = child.pid;
    child.on('error', (e) => this.o.logger.error('nginx could not start: install the Debian package nginx-light, or run with --disable ingress', { err: e.message }));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.pid = undefined;
      if (this.stopped) return;
      this.o.logger.error(`nginx exited (code ${code ?? signal}); see ${join(this.o.dir, 'error.log')} and nginx.out (ports 80/443 taken? free them or run with --disable ingress); restarting`);
      this.restartTimer = setTimeout(() => this.start(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, 60_000);
    });
    setTimeout(() => { if (this.child === child) this.backoff = 1000; }, 10_000).unref();
  }

  /** stop lets nginx finish the requests in flight (SIGQUIT), killing it after a few seconds. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.adopt();
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}
