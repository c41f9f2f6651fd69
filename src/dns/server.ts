import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as packet from 'dns-packet';
import type { Client } from '../client/client.js';
import { R } from '../client/client.js';
import { Informer } from '../client/informer.js';
import type { Logger } from '../lib/log.js';
import type { KubeObject } from '../api/types.js';
import { ClusterRecords, podKey, podRecords, serviceKey, serviceRecords, TTL, type Contribution, type ZoneChange } from './records.js';

/** Upstream is a resolver that names outside the cluster are forwarded to. */
export interface Upstream {
  host: string;
  port: number;
}

/** readUpstreams lists the nameservers of a resolv.conf, skipping loopback ones (they would loop back to us, as k3s warns). */
export function readUpstreams(path: string): Upstream[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const [key, addr] = line.trim().split(/\s+/);
    if (key === 'nameserver' && addr && /^(\d{1,3}\.){3}\d{1,3}$/.test(addr) && !addr.startsWith('127.')) out.push({ host: addr, port: 53 });
  }
  return out;
}

// dns-packet encodes the response code from the low bits of `flags`, not from `rcode`.
const RCODE = { FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3 } as const;
const withRcode = (p: packet.Packet, code: keyof typeof RCODE): packet.Packet => ({ ...p, flags: (p.flags ?? 0) | RCODE[code] });

/** answerFromZone builds the response to a query the cluster zone is authoritative for. */
export function answerFromZone(zone: ClusterRecords, query: packet.Packet): packet.Packet {
  const q = query.questions?.[0];
  const base: packet.Packet = { id: query.id ?? 0, type: 'response', flags: packet.AUTHORITATIVE_ANSWER | (query.flags ?? 0) & packet.RECURSION_DESIRED, questions: query.questions ?? [] };
  if (!q) return withRcode(base, 'FORMERR');
  const found = zone.lookup(q.name, q.type);
  const answers = found.answers.map((r) => ({ ...r, class: 'IN', ttl: TTL }) as packet.Answer);
  const soa = { type: 'SOA', name: zone.domain, ttl: TTL, data: { mname: `ns.dns.${zone.domain}`, rname: `hostmaster.${zone.domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL } } as packet.Answer;
  if (q.name.toLowerCase().replace(/\.$/, '') === zone.domain && (q.type === 'SOA' || (q.type as string) === 'ANY')) answers.unshift(soa);
  // A query with EDNS gets an OPT record back (RFC 6891), with the size we accept over UDP.
  const edns = query.additionals?.some((a) => a.type === 'OPT') ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as packet.Answer] } : {};
  if (!found.exists && !answers.length) return withRcode({ ...base, authorities: [soa], ...edns }, 'NXDOMAIN');
  return { ...base, answers, ...(answers.length ? {} : { authorities: [soa] }), ...edns } as packet.Packet;
}

/**
 * AnswerCache keeps encoded zone answers by the query's bytes after its ID (flags, question, EDNS
 * size all take part), so a repeated query is one map lookup and a copy; it is emptied whenever the
 * zone changes, and when full.
 */
export class AnswerCache {
  private entries = new Map<string, Buffer>();
  constructor(private readonly limit = 10_000) {}

  get(raw: Buffer): Buffer | undefined {
    const hit = raw.length >= 12 ? this.entries.get(raw.toString('latin1', 2)) : undefined;
    if (!hit) return undefined;
    const out = Buffer.from(hit);
    out[0] = raw[0]!;
    out[1] = raw[1]!;
    return out;
  }

  set(raw: Buffer, answer: Buffer): void {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(raw.toString('latin1', 2), answer);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** truncateForUdp keeps a UDP answer within the client's size (512, or its EDNS size), setting TC when it had to cut. */
export function truncateForUdp(query: packet.Packet, response: packet.Packet): Buffer {
  const opt = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  const limit = Math.max(512, opt?.udpPayloadSize ?? 512);
  const full = packet.encode(response);
  if (full.length <= limit) return full;
  return packet.encode({ ...response, flags: (response.flags ?? 0) | packet.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: [] });
}

/** ClusterDNSOptions configure one node's DNS server. */
export interface ClusterDNSOptions {
  client: Client;
  clusterDomain: string;
  listen: { host: string; port: number };
  resolvConf: string;
  /** upstreams overrides resolv.conf (tests). */
  upstreams?: Upstream[];
  logger: Logger;
  signal: AbortSignal;
}

/** RunningDNS is a started DNS server. */
export interface RunningDNS {
  port: number;
  stop(): Promise<void>;
}

function servfail(query: packet.Packet): packet.Packet {
  return withRcode({ id: query.id ?? 0, type: 'response', flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE, questions: query.questions ?? [] }, 'SERVFAIL');
}

/** forward asks the upstreams in turn over UDP (2 s each); none answering is a SERVFAIL. */
async function forward(raw: Buffer, query: packet.Packet, upstreams: Upstream[]): Promise<Buffer> {
  for (const u of upstreams) {
    const answer = await new Promise<Buffer | undefined>((resolve) => {
      const sock = createSocket('udp4');
      const done = (b: Buffer | undefined): void => {
        clearTimeout(timer);
        sock.close();
        resolve(b);
      };
      const timer = setTimeout(() => done(undefined), 2000);
      sock.on('message', (m) => done(m));
      sock.on('error', () => done(undefined));
      sock.send(raw, u.port, u.host);
    });
    if (answer) return answer;
  }
  return packet.encode(servfail(query));
}

/** ServeOptions configure the sockets that answer queries from a zone. */
export interface ServeOptions {
  zone: ClusterRecords;
  cache: AnswerCache;
  listen: { host: string; port: number };
  upstreams: Upstream[];
  warn: (msg: string) => void;
}

/** Serving is a pair of bound sockets (UDP and TCP, same port). */
export interface Serving {
  port: number;
  close(): Promise<void>;
}

/**
 * serveDNS answers queries over UDP and TCP from the zone (repeated UDP ones from the cache) and
 * forwards names outside it to the upstreams (a quick SERVFAIL when there are none).
 */
export async function serveDNS(o: ServeOptions): Promise<Serving> {
  const { zone, cache, upstreams } = o;
  const respond = async (raw: Buffer, udp: boolean): Promise<Buffer | undefined> => {
    let query: packet.Packet;
    try {
      query = packet.decode(raw);
    } catch {
      return undefined;
    }
    const name = query.questions?.[0]?.name ?? '';
    if (zone.inZone(name)) {
      const res = answerFromZone(zone, query);
      if (!udp) return packet.encode(res);
      const out = truncateForUdp(query, res);
      cache.set(raw, out);
      return out;
    }
    return forward(raw, query, upstreams);
  };
  const udp: Socket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    const cached = cache.get(msg);
    if (cached) return udp.send(cached, rinfo.port, rinfo.address);
    void respond(msg, true).then((b) => b && udp.send(b, rinfo.port, rinfo.address));
  });
  udp.on('error', (e) => o.warn(`dns udp error: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(o.listen.port, o.listen.host, () => resolve());
  });
  const port = udp.address().port;
  // allowHalfOpen: a client may shut down its side once its queries are sent (`… | nc`); the answers
  // still go out (forwarded ones arrive later), and the server closes once the last is written.
  const tcp: Server = createServer({ allowHalfOpen: true }, (sock) => {
    let buf = Buffer.alloc(0);
    let pending = 0;
    let ended = false;
    const closeWhenDone = (): void => {
      if (ended && pending === 0 && !sock.destroyed) sock.end();
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        pending++;
        void respond(Buffer.from(msg), false).catch(() => undefined).then((b) => {
          pending--;
          if (b && !sock.destroyed) {
            const len = Buffer.alloc(2);
            len.writeUInt16BE(b.length);
            sock.write(Buffer.concat([len, b]));
          }
          closeWhenDone();
        });
      }
    });
    sock.on('end', () => {
      ended = true;
      closeWhenDone();
    });
    sock.on('error', () => sock.destroy());
    sock.setTimeout(10_000, () => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, o.listen.host, () => resolve());
  });
  return {
    port,
    async close() {
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

/** WorkerMessage is what the DNS worker thread tells the main thread. */
export type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'warn'; message: string };

/**
 * startClusterDNS answers the cluster zone (`<svc>.<ns>.svc.<domain>`, pods, reverse lookups)
 * from Service, EndpointSlice and Pod informers, over UDP and TCP, and forwards other names to
 * the node's resolvers. The sockets live in a worker thread with its own event loop and heap, so
 * the agent's other work (and its garbage collection) does not stall answers; the informers stay
 * here and send the worker the records of each object that changed.
 */
export async function startClusterDNS(o: ClusterDNSOptions): Promise<RunningDNS> {
  const upstreams = o.upstreams ?? readUpstreams(o.resolvConf);
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { domain: o.clusterDomain, listen: o.listen, upstreams } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'listening') resolve(m.port);
      else if (m.type === 'failed') reject(new Error(m.message));
      else o.logger.warn(m.message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the cluster DNS worker exited (${code})`)));
  });
  worker.on('error', (e) => o.logger.error('the cluster DNS worker failed: restart the agent', { err: e.message }));
  o.signal.addEventListener('abort', () => void worker.terminate(), { once: true });
  const serviceOfSlice = (sl: KubeObject): string => serviceKey(sl.metadata.namespace ?? '', sl.metadata.labels?.['kubernetes.io/service-name'] ?? '');
  const services = new Informer({ client: o.client.resource(R.services), logger: o.logger.child('services') });
  const slices = new Informer({ client: o.client.resource(R.endpointslices), logger: o.logger.child('endpointslices'), indexers: { service: (sl) => [serviceOfSlice(sl)] } });
  const pods = new Informer({ client: o.client.resource(R.pods), logger: o.logger.child('pods') });
  // Events name the contributions to recompute; once per turn of the event loop the ones that
  // really changed (a pod's status rarely changes its address) go to the worker.
  const dirty = new Set<string>();
  const sent = new Map<string, string>();
  const contribution = (key: string): Contribution | null => {
    const [kind, ref] = [key.slice(0, 3), key.slice(4)];
    if (kind === 'pod') {
      const pod = pods.get(ref);
      return pod ? podRecords(o.clusterDomain, pod) : null;
    }
    const svc = services.get(ref);
    return svc ? serviceRecords(o.clusterDomain, svc, slices.byIndex('service', key)) : null;
  };
  const flush = (): void => {
    const changes: ZoneChange[] = [];
    for (const key of dirty) {
      const next = contribution(key);
      const text = next ? JSON.stringify(next) : undefined;
      if (text === sent.get(key)) continue;
      if (text === undefined) sent.delete(key);
      else sent.set(key, text);
      changes.push([key, next]);
    }
    dirty.clear();
    if (changes.length) worker.postMessage(changes);
  };
  const mark = (key: string): void => {
    if (dirty.size === 0) setImmediate(flush);
    dirty.add(key);
  };
  const ofService = (svc: KubeObject): void => mark(serviceKey(svc.metadata.namespace ?? '', svc.metadata.name ?? ''));
  const ofSlice = (sl: KubeObject): void => mark(serviceOfSlice(sl));
  const ofPod = (pod: KubeObject): void => mark(podKey(pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
  services.addHandlers({ onAdd: ofService, onUpdate: (_, x) => ofService(x), onDelete: ofService });
  slices.addHandlers({
    onAdd: ofSlice,
    onUpdate: (a, b) => {
      ofSlice(a);
      ofSlice(b);
    },
    onDelete: ofSlice,
  });
  pods.addHandlers({ onAdd: ofPod, onUpdate: (_, x) => ofPod(x), onDelete: ofPod });
  for (const inf of [services, slices, pods]) void inf.run(o.signal);
  o.logger.info('cluster DNS is listening', { address: `${o.listen.host}:${port}`, upstreams: upstreams.map((u) => u.host) });
  return {
    port,
    async stop() {
      await worker.terminate();
    },
  };
}
