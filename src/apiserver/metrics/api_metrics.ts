import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestInfo } from '../request_info.js';
import { isLongRunning } from '../inflight.js';
import { cleanScope, dryRunLabel, reportedVerb } from './request_labels.js';

/** LATENCY_BUCKETS are kube-apiserver's buckets for request and storage latency, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

const COMPONENT = 'apiserver';
const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** RequestMetrics is what the API server's front calls per request, and for /metrics. */
export interface RequestMetrics {
  /** track counts req in flight now and records its count and latency once res is done; startedMs is performance.now() at arrival. */
  track(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, startedMs: number): void;
  /** serve answers GET /metrics in the Prometheus text format. */
  serve(res: ServerResponse): Promise<void>;
}

/** ApiMetricsOptions configure ApiMetrics. */
export interface ApiMetricsOptions {
  /** isServed tells resources the server has; requests for others (404s) are not recorded, keeping label sets bounded. */
  isServed?: (group: string, version: string, resource: string) => boolean;
  /** defaultMetrics adds prom-client's process_* and nodejs_* metrics (default true). */
  defaultMetrics?: boolean;
}

/** Series is one label set's children, cached so a request does not build label objects. */
interface Series {
  labels: string[];
  duration: Histogram.Internal<string>;
  counts: Map<number, Counter.Internal>;
}

/**
 * ApiMetrics holds kube-apiserver's request metrics on its own registry: apiserver_request_total,
 * apiserver_request_duration_seconds, apiserver_longrunning_requests,
 * apiserver_current_inflight_requests, plus the storage metrics InstrumentedBackend records.
 */
export class ApiMetrics implements RequestMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<string>;
  private readonly durations: Histogram<string>;
  private readonly longRunning: Gauge<string>;
  private readonly series = new Map<string, Series>();
  private readonly longRunningSeries = new Map<string, Gauge.Internal<string>>();
  private inflightReadOnly = 0;
  private inflightMutating = 0;

  constructor(private readonly opts: ApiMetricsOptions = {}) {
    const registers = [this.registry];
    const requestLabels = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'];
    this.requests = new Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', labelNames: [...requestLabels, 'code'], registers });
    this.durations = new Histogram({ name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', labelNames: requestLabels, buckets: LATENCY_BUCKETS, registers });
    this.longRunning = new Gauge({ name: 'apiserver_longrunning_requests', help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.', labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'], registers });
    const inflight = (): [number, number] => [this.inflightReadOnly, this.inflightMutating];
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers,
      collect() {
        const [readOnly, mutating] = inflight();
        this.set({ request_kind: 'readOnly' }, readOnly);
        this.set({ request_kind: 'mutating' }, mutating);
      },
    });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  track(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, startedMs: number): void {
    if (info.isResourceRequest && this.opts.isServed && !this.opts.isServed(info.group, info.version, info.resource)) return;
    const verb = reportedVerb(req.method ?? 'GET', info, req.headers['content-type']);
    const scope = cleanScope(info);
    const resource = info.isResourceRequest ? info.resource : '';
    // Off the REST API the path stands in the subresource label, as kube-apiserver does.
    const subresource = info.isResourceRequest ? info.subresource : info.path;
    const dryRun = dryRunLabel(query);
    if (isLongRunning(info)) {
      const gauge = this.longRunningChild(verb, info.group, info.version, resource, subresource, scope);
      gauge.inc();
      res.once('close', () => {
        gauge.dec();
        this.record(verb, dryRun, info, resource, subresource, scope, res.statusCode, startedMs);
      });
      return;
    }
    const mutating = MUTATING.has(info.verb);
    if (mutating) this.inflightMutating++;
    else this.inflightReadOnly++;
    // 'close' follows 'finish' and also comes when the client went away: one listener covers both.
    res.once('close', () => {
      if (mutating) this.inflightMutating--;
      else this.inflightReadOnly--;
      // Unknown paths off the REST API would grow label sets without bound: kube-apiserver's 404 handler is not instrumented either.
      if (!info.isResourceRequest && res.statusCode === 404) return;
      this.record(verb, dryRun, info, resource, subresource, scope, res.statusCode, startedMs);
    });
  }

  async serve(res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private record(verb: string, dryRun: string, info: RequestInfo, resource: string, subresource: string, scope: string, code: number, startedMs: number): void {
    const key = `${verb} ${dryRun} ${info.group} ${info.version} ${resource} ${subresource} ${scope}`;
    let s = this.series.get(key);
    if (!s) {
      const labels = [verb, dryRun, info.group, info.version, resource, subresource, scope, COMPONENT];
      s = { labels, duration: this.durations.labels(...labels), counts: new Map() };
      this.series.set(key, s);
    }
    let count = s.counts.get(code);
    if (!count) {
      count = this.requests.labels(...s.labels, String(code));
      s.counts.set(code, count);
    }
    count.inc();
    s.duration.observe((performance.now() - startedMs) / 1000);
  }

  private longRunningChild(verb: string, group: string, version: string, resource: string, subresource: string, scope: string): Gauge.Internal<string> {
    const key = `${verb} ${group} ${version} ${resource} ${subresource} ${scope}`;
    let g = this.longRunningSeries.get(key);
    if (!g) {
      g = this.longRunning.labels(verb, group, version, resource, subresource, scope, COMPONENT);
      this.longRunningSeries.set(key, g);
    }
    return g;
  }
}
