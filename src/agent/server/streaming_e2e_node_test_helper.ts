// A one-node control plane for streaming_e2e_test.ts, run INSIDE the test network namespace
// (`nsenter --net=… node this.js config.json`): an API server with the node proxy subresources
// and a kubelet API on containerd's CRI, both on 127.0.0.1 of that namespace. It creates the
// Node and the Pod, runs the pod's sandbox (host network) and container through CRI, posts the
// pod status a kubelet would, writes a kubeconfig, prints READY and serves until SIGTERM.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { createCA, issueServingCert } from '../../pki/index.js';
import type { KubeObject } from '../../api/types.js';
import { startNodeProxyApi } from '../../apiserver/node_proxy/node_proxy_test_helper.js';
import { GrpcCriClient } from '../cri/grpc_client.js';
import { criStreaming, KubeletServer } from './index.js';

/** NodeConfig is the JSON the test hands over. */
interface NodeConfig {
  dir: string;
  socket: string;
  logsDir: string;
  image: string;
  command: string[];
}

/** runPod starts the pod's sandbox and its one container `main` as the kubelet would, returning the container id. */
async function runPod(cri: GrpcCriClient, pod: KubeObject, cfg: NodeConfig): Promise<string> {
  const m = pod.metadata;
  const sandboxConfig = {
    metadata: { name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' },
    logDirectory: join(cfg.logsDir, `${m.namespace ?? ''}_${m.name ?? ''}_${m.uid ?? ''}`),
    labels: { 'io.kubernetes.pod.uid': m.uid ?? '' },
    linux: { securityContext: { namespaceOptions: { network: 'NODE' as const, pid: 'CONTAINER' as const } } },
  };
  const sb = await cri.runPodSandbox(sandboxConfig);
  const cid = await cri.createContainer(sb, { metadata: { name: 'main' }, image: { image: cfg.image }, command: cfg.command, logPath: 'main/0.log' }, sandboxConfig);
  await cri.startContainer(cid);
  return cid;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as NodeConfig;
  const serverCA = await createCA('server', realClock);
  const clientCA = await createCA('client', realClock);
  const kubeletServing = await issueServingCert(serverCA, { commonName: 'node-1', ips: ['127.0.0.1'] });
  const api = await startNodeProxyApi(serverCA, clientCA, serverCA.certPem, 'linux/amd64');
  const t = api.client;
  const cri = new GrpcCriClient({ socket: cfg.socket });
  const kubelet = new KubeletServer({
    bindAddress: '127.0.0.1',
    port: 0,
    tls: { ...kubeletServing, clientCaPem: clientCA.certPem },
    runtime: criStreaming(cri, cfg.logsDir),
    pods: async (namespace, name) => (await t.request({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace, name })) as KubeObject,
    logger: silentLogger,
  });
  const kubeletPort = await kubelet.start();
  const create = (resource: string, namespace: string, body: object): Promise<unknown> => t.request({ verb: 'create', group: '', version: 'v1', resource, namespace, body });
  await create('namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await create('nodes', '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } } } });
  const pod = (await create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'main', image: cfg.image }] } })) as KubeObject;
  const cid = await runPod(cri, pod, cfg);
  const running = { name: 'main', ready: true, restartCount: 0, image: cfg.image, imageID: '', containerID: `containerd://${cid}`, started: true, state: { running: { startedAt: new Date().toISOString() } } };
  pod.status = { phase: 'Running', podIP: '127.0.0.1', containerStatuses: [running] };
  await t.request({ verb: 'update', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: pod.metadata.name ?? '', subresource: 'status', body: pod });
  writeFileSync(join(cfg.dir, 'kubeconfig'), api.kubeconfig);
  process.stdout.write('READY\n');
  process.once('SIGTERM', () => {
    void kubelet.stop().then(() => api.stop()).then(() => {
      cri.close();
      process.exit(0);
    });
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
