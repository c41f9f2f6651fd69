import { spawn, type ChildProcess } from 'node:child_process';

/** SESSION_BYTES bounds what one `nft -i` is sent before it is replaced (it keeps every line in its history). */
const SESSION_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

interface Pending {
  marker: string;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * NftSession sends nft transactions to one long-lived `nft -i` instead of starting `nft -f` for
 * each: starting a program costs 10–80 ms on a busy node, more than a small change itself.
 * Each transaction goes as one line (its commands joined by `;`), which nft runs as one batch:
 * all or nothing. A lookup of a table that does not exist follows it; nft's error for that lookup
 * on stderr marks the end of the answer, and anything on stderr before it is the transaction's error.
 */
export class NftSession {
  private child: ChildProcess | undefined;
  private stderr = '';
  private sent = 0;
  private seq = 0;
  private queue: Pending[] = [];

  /** command starts nft (its arguments may put it in a namespace first); `-i` is added. */
  constructor(private readonly command: string[] = ['nft']) {}

  /** apply runs `text` (nft commands, one per line, no blocks spanning lines) as one transaction. */
  apply(text: string): Promise<void> {
    const line = text.split('\n').filter((l) => l.trim() !== '').join('; ');
    if (!line) return Promise.resolve();
    if (this.child && this.sent > SESSION_BYTES && this.queue.length === 0) this.close();
    const child = this.child ?? this.start();
    const marker = `skiff-sync-${process.pid}-${++this.seq}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`nft -i gave no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      this.queue.push({ marker, resolve, reject, timer });
      const out = `${line}\nlist table ip ${marker}\n`;
      this.sent += out.length;
      child.stdin!.write(out);
    });
  }

  /** close ends the nft process; transactions still waiting fail. */
  close(): void {
    this.fail(new Error('nft session closed'));
  }

  private start(): ChildProcess {
    const [program = 'nft', ...args] = this.command;
    const child = spawn(program, [...args, '-i'], { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child = child;
    this.stderr = '';
    this.sent = 0;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (this.child !== child) return;
      this.stderr += d;
      this.settle();
    });
    child.stdin!.on('error', () => {}); // the 'close' below reports it
    child.on('error', (e: NodeJS.ErrnoException) => this.child === child && this.fail(e.code === 'ENOENT' ? new Error(`${program}: command not found: install nftables`) : e));
    child.on('close', (code) => this.child === child && this.fail(new Error(`nft -i exited (${code ?? 'signal'}): ${this.stderr.trim().slice(-300) || '(no output)'}`)));
    return child;
  }

  /** settle answers every transaction whose marker has come back. */
  private settle(): void {
    for (;;) {
      this.stderr = this.stderr.replace(/^[ \t]*\^+[ \t]*\n/, ''); // the caret line under the last marker
      const p = this.queue[0];
      if (!p) return;
      const mark = `list table ip ${p.marker}\n`;
      const at = this.stderr.indexOf(mark);
      if (at < 0) return;
      // What precedes the marker's own "Error: No such file or directory" is the transaction's.
      const before = this.stderr.slice(0, at);
      const own = before.lastIndexOf('Error:');
      const err = (own >= 0 ? before.slice(0, own) : before).trim();
      this.stderr = this.stderr.slice(at + mark.length);
      this.queue.shift();
      clearTimeout(p.timer);
      if (err) p.reject(new Error(`nft: ${err.slice(0, 2000)}`));
      else p.resolve();
    }
  }

  private fail(err: Error): void {
    const child = this.child;
    this.child = undefined;
    if (child) {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}
