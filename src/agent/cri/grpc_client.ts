import protobuf from 'protobufjs';
import { criErrorFromStatus, CriError, CriNotFoundError } from './errors.js';
import { GrpcChannel, GrpcStatusError } from './grpc_channel.js';
import { criProto } from './proto.js';
import { decodeContainerStats } from './stats.js';
import {
  asMsg, big, bool, bytes, decodeContainer, decodeContainerStatus, decodeFilesystemUsage, decodeImage, decodePodSandbox,
  decodePodSandboxStatus, msgs, str, type Msg,
} from './decode.js';
import type {
  AttachRequest, AuthConfig, CallOptions, Container, ContainerConfig, ContainerFilter, ContainerStatus, CriClient, CriContainerStats, ExecRequest,
  ExecSyncResult, FilesystemUsage, Image, ImageSpec, LinuxContainerResources, PodSandbox, PodSandboxConfig, PodSandboxFilter,
  PodSandboxStatus, RuntimeStatus, VersionResponse,
} from './types.js';

/** GrpcCriClientOptions configure a GrpcCriClient. */
export interface GrpcCriClientOptions {
  /** socket is the runtime's unix socket path, e.g. /run/containerd/containerd.sock. */
  socket: string;
  /** timeoutMs bounds each call unless the call says otherwise (default 30 s). */
  timeoutMs?: number;
}

type Service = 'RuntimeService' | 'ImageService';

/** MethodDef is one CRI method: its HTTP/2 path and how its messages go to and from the wire. */
interface MethodDef {
  path: string;
  encode(req: object): Uint8Array;
  decode(buf: Buffer): unknown;
}

// How responses become plain objects: the shapes @grpc/proto-loader produced (int64 as strings,
// enums by name, absent fields with their defaults), which decode.ts reads.
const toObjectOptions: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true };

/** loadServices parses the CRI proto into method definitions; protobufjs alone does what @grpc/proto-loader did. */
function loadServices(): Record<Service, Record<string, MethodDef>> {
  const root = protobuf.parse(criProto, { keepCase: false }).root;
  root.resolveAll();
  const get = (name: Service): Record<string, MethodDef> => {
    const svc = root.lookupService(`runtime.v1.${name}`);
    const out: Record<string, MethodDef> = {};
    for (const m of svc.methodsArray) {
      const req = root.lookupType(m.requestType);
      const res = root.lookupType(m.responseType);
      out[m.name] = {
        path: `/runtime.v1.${name}/${m.name}`,
        encode: (o) => req.encode(req.fromObject(o as Record<string, unknown>)).finish(),
        decode: (buf) => res.toObject(res.decode(buf), toObjectOptions),
      };
    }
    return out;
  };
  return { RuntimeService: get('RuntimeService'), ImageService: get('ImageService') };
}

// Why module-level: the parsed schema is immutable and the same for every client; parsing it per
// client (waitForCri, the node's client, image import) cost time and heap for identical copies.
let services: Record<Service, Record<string, MethodDef>> | undefined;

/** criServices returns the CRI method definitions, parsed on first use. */
function criServices(): Record<Service, Record<string, MethodDef>> {
  services ??= loadServices();
  return services;
}

const pullTimeoutMs = 10 * 60_000;

/**
 * GrpcCriClient talks CRI v1 to a container runtime over its unix socket. Every call has a
 * deadline (options.timeoutMs, or per call); gRPC failures reject with the typed errors of
 * ./errors.ts. Stop/remove of objects that are already gone resolve.
 */
export class GrpcCriClient implements CriClient {
  private readonly channel: GrpcChannel;
  private readonly services = criServices();
  private readonly timeoutMs: number;

  constructor(opts: GrpcCriClientOptions) {
    if (!opts.socket.startsWith('/')) throw new Error(`CRI socket must be an absolute path, got ${JSON.stringify(opts.socket)}`);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.channel = new GrpcChannel({ socket: opts.socket, maxReceiveBytes: 32 * 1024 * 1024 });
  }

  /** call runs one unary CRI method and resolves with the decoded response. */
  private async call(service: Service, method: string, req: object, timeoutMs?: number): Promise<Msg> {
    const def = this.services[service][method];
    if (def === undefined) throw new CriError(`CRI method ${method} not declared`, method, 12);
    let res: Buffer;
    try {
      res = await this.channel.unary(def.path, def.encode(req), timeoutMs ?? this.timeoutMs);
    } catch (e) {
      if (e instanceof GrpcStatusError) throw criErrorFromStatus(method, e.code, e.details);
      throw e;
    }
    return asMsg(def.decode(res)) ?? {};
  }

  private rt(method: string, req: object, opts?: CallOptions, dflt?: number): Promise<Msg> {
    return this.call('RuntimeService', method, req, opts?.timeoutMs ?? dflt);
  }

  private img(method: string, req: object, opts?: CallOptions, dflt?: number): Promise<Msg> {
    return this.call('ImageService', method, req, opts?.timeoutMs ?? dflt);
  }

  /** ignoreNotFound resolves when p fails with NotFound: the object is already gone. */
  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (!(e instanceof CriNotFoundError)) throw e;
    }
  }

  async version(opts?: CallOptions): Promise<VersionResponse> {
    const r = await this.rt('Version', { version: 'v1' }, opts);
    return { version: str(r, 'version'), runtimeName: str(r, 'runtimeName'), runtimeVersion: str(r, 'runtimeVersion'), runtimeApiVersion: str(r, 'runtimeApiVersion') };
  }

  async status(opts?: CallOptions): Promise<RuntimeStatus> {
    const r = await this.rt('Status', {}, opts);
    const conditions = msgs(asMsg(r['status']), 'conditions').map((c) => ({
      type: str(c, 'type'), status: bool(c, 'status'), reason: str(c, 'reason'), message: str(c, 'message'),
    }));
    return { conditions };
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '', opts?: CallOptions): Promise<string> {
    // Sandbox creation includes CNI setup and, on a cold node, unpacking the pause image.
    const r = await this.rt('RunPodSandbox', { config, runtimeHandler }, opts, Math.max(this.timeoutMs, 4 * 60_000));
    return str(r, 'podSandboxId');
  }

  async stopPodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    await this.ignoreNotFound(this.rt('StopPodSandbox', { podSandboxId }, opts, Math.max(this.timeoutMs, 2 * 60_000)));
  }

  async removePodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    await this.ignoreNotFound(this.rt('RemovePodSandbox', { podSandboxId }, opts, Math.max(this.timeoutMs, 2 * 60_000)));
  }

  async podSandboxStatus(podSandboxId: string, opts?: CallOptions): Promise<PodSandboxStatus> {
    const r = await this.rt('PodSandboxStatus', { podSandboxId }, opts);
    return decodePodSandboxStatus(asMsg(r['status']) ?? {});
  }

  async listPodSandbox(filter?: PodSandboxFilter, opts?: CallOptions): Promise<PodSandbox[]> {
    const f = filter && { id: filter.id ?? '', labelSelector: filter.labelSelector ?? {}, ...(filter.state ? { state: { state: filter.state } } : {}) };
    const r = await this.rt('ListPodSandbox', f ? { filter: f } : {}, opts);
    return msgs(r, 'items').map(decodePodSandbox);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, opts?: CallOptions): Promise<string> {
    const r = await this.rt('CreateContainer', { podSandboxId, config, sandboxConfig }, opts, Math.max(this.timeoutMs, 2 * 60_000));
    return str(r, 'containerId');
  }

  async startContainer(containerId: string, opts?: CallOptions): Promise<void> {
    await this.rt('StartContainer', { containerId }, opts, Math.max(this.timeoutMs, 2 * 60_000));
  }

  async stopContainer(containerId: string, timeoutSeconds: number, opts?: CallOptions): Promise<void> {
    // The runtime waits timeoutSeconds before SIGKILL: the deadline must outlast that.
    const req = { containerId, timeout: Math.max(0, Math.floor(timeoutSeconds)) };
    await this.ignoreNotFound(this.rt('StopContainer', req, opts, this.timeoutMs + req.timeout * 1000));
  }

  async removeContainer(containerId: string, opts?: CallOptions): Promise<void> {
    await this.ignoreNotFound(this.rt('RemoveContainer', { containerId }, opts, Math.max(this.timeoutMs, 2 * 60_000)));
  }

  async listContainers(filter?: ContainerFilter, opts?: CallOptions): Promise<Container[]> {
    const f = filter && {
      id: filter.id ?? '', podSandboxId: filter.podSandboxId ?? '', labelSelector: filter.labelSelector ?? {},
      ...(filter.state ? { state: { state: filter.state } } : {}),
    };
    const r = await this.rt('ListContainers', f ? { filter: f } : {}, opts);
    return msgs(r, 'containers').map(decodeContainer);
  }

  async containerStatus(containerId: string, opts?: CallOptions): Promise<ContainerStatus> {
    const r = await this.rt('ContainerStatus', { containerId }, opts);
    return decodeContainerStatus(asMsg(r['status']) ?? {});
  }

  async updateContainerResources(containerId: string, linux: LinuxContainerResources, opts?: CallOptions): Promise<void> {
    await this.rt('UpdateContainerResources', { containerId, linux }, opts);
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number, opts?: CallOptions): Promise<ExecSyncResult> {
    const timeout = Math.max(0, Math.floor(timeoutSeconds));
    const dflt = timeout === 0 ? undefined : this.timeoutMs + timeout * 1000;
    const r = await this.rt('ExecSync', { containerId, cmd, timeout }, opts, dflt);
    return { stdout: bytes(r, 'stdout'), stderr: bytes(r, 'stderr'), exitCode: Number(big(r, 'exitCode')) };
  }

  async exec(req: ExecRequest, opts?: CallOptions): Promise<string> {
    return str(await this.rt('Exec', req, opts), 'url');
  }

  async attach(req: AttachRequest, opts?: CallOptions): Promise<string> {
    return str(await this.rt('Attach', req, opts), 'url');
  }

  async portForward(podSandboxId: string, ports: number[], opts?: CallOptions): Promise<string> {
    return str(await this.rt('PortForward', { podSandboxId, port: ports }, opts), 'url');
  }

  async reopenContainerLog(containerId: string, opts?: CallOptions): Promise<void> {
    await this.rt('ReopenContainerLog', { containerId }, opts);
  }

  async updateRuntimeConfig(podCidr: string, opts?: CallOptions): Promise<void> {
    await this.rt('UpdateRuntimeConfig', { runtimeConfig: { networkConfig: { podCidr } } }, opts);
  }

  async listImages(filter?: ImageSpec, opts?: CallOptions): Promise<Image[]> {
    const r = await this.img('ListImages', filter ? { filter: { image: filter } } : {}, opts);
    return msgs(r, 'images').map(decodeImage);
  }

  async imageStatus(image: ImageSpec, opts?: CallOptions): Promise<Image | undefined> {
    const r = await this.img('ImageStatus', { image }, opts);
    const m = asMsg(r['image']);
    return m && str(m, 'id') !== '' ? decodeImage(m) : undefined;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig, opts?: CallOptions): Promise<string> {
    const req = { image, ...(auth ? { auth } : {}), ...(sandboxConfig ? { sandboxConfig } : {}) };
    return str(await this.img('PullImage', req, opts, pullTimeoutMs), 'imageRef');
  }

  async removeImage(image: ImageSpec, opts?: CallOptions): Promise<void> {
    await this.ignoreNotFound(this.img('RemoveImage', { image }, opts));
  }

  async imageFsInfo(opts?: CallOptions): Promise<FilesystemUsage[]> {
    return msgs(await this.img('ImageFsInfo', {}, opts), 'imageFilesystems').map(decodeFilesystemUsage);
  }

  async listContainerStats(opts?: CallOptions): Promise<CriContainerStats[]> {
    return msgs(await this.rt('ListContainerStats', {}, opts), 'stats').map(decodeContainerStats);
  }

  close(): void {
    this.channel.close();
  }
}
