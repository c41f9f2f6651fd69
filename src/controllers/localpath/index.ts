import { storageClassOf } from '../../api/resources/core/core_volumes.js';
import { LOCAL_PATH_PROVISIONER, localPathVolumeName } from '../../api/resources/storage/local_path.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceClient } from '../../client/client.js';
import { runController } from '../../client/controller.js';
import type { EventRecorder } from '../../client/events.js';
import { objectKeyOf, type Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Logger } from '../../lib/log.js';
import type { ControllerStarter } from '../context.js';
import { NODES, PERSISTENT_VOLUMES, PERSISTENT_VOLUME_CLAIMS, STORAGE_CLASSES } from './resources.js';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, blockRefusal, buildLocalPathVolume, provisionRefusal, shouldProvision, storageBase } from './volume.js';

/** FAILED_PROVISION_THRESHOLD: external-provisioner gives up on a claim after 15 failed tries (until the claim changes). */
const FAILED_PROVISION_THRESHOLD = 15;
/** Retry back-off of external-provisioner (--retry-interval-start 1 s, --retry-interval-max 5 min). */
const RETRY_START_MS = 1000;
const RETRY_MAX_MS = 300_000;

/** ProvisionerDeps is what one claim's sync reads and writes through. */
interface ProvisionerDeps {
  claims: Informer;
  classes: Informer;
  volumes: Informer;
  nodes: Informer;
  pvClient: ResourceClient;
  nodeClient: ResourceClient;
  recorder: EventRecorder;
  storage: { defaultPath: string; fallbackPath: string };
}

/** ProvisioningFailed is a failure already reported to the claim's events; the sync is retried. */
class ProvisioningFailed extends Error {}

function fail(d: ProvisionerDeps, claim: KubeObject, message: string): never {
  d.recorder.event(claim, 'Warning', 'ProvisioningFailed', message);
  throw new ProvisioningFailed(message);
}

/** targetNode is the selected node from the cache, else a live GET (a new node may not be cached yet); undefined when gone. */
async function targetNode(d: ProvisionerDeps, name: string): Promise<KubeObject | undefined> {
  const cached = d.nodes.get(name);
  if (cached) return cached;
  try {
    return await d.nodeClient.get('', name);
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/** provisionClaim is external-provisioner's provisionClaimOperation with local-path-provisioner's Provision. */
async function provisionClaim(d: ProvisionerDeps, key: string): Promise<void> {
  const claim = d.claims.get(key);
  if (!claim) return;
  const className = storageClassOf(claim);
  const cls = d.classes.get(className);
  if (!cls || !shouldProvision(claim, cls)) return;
  const name = localPathVolumeName(claim.metadata.uid ?? '');
  if (d.volumes.get(name)) return; // provisioned already; the binder binds it
  d.recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
  const block = blockRefusal(claim);
  if (block) fail(d, claim, block);
  const nodeName = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  const node = nodeName === undefined ? undefined : await targetNode(d, nodeName);
  if (nodeName !== undefined && !node) fail(d, claim, `failed to get target node: nodes "${nodeName}" not found`);
  const refusal = provisionRefusal(claim, node?.metadata.name);
  if (refusal || !node) fail(d, claim, `failed to provision volume with StorageClass "${className}": ${refusal ?? ''}`);
  try {
    await d.pvClient.create('', buildLocalPathVolume(claim, cls, node, storageBase(node, d.storage)));
  } catch (e) {
    // Created by an earlier try whose answer was lost: same name, same claim.
    if ((e as { code?: number }).code !== 409) fail(d, claim, `failed to provision volume with StorageClass "${className}": ${(e as Error).message}`);
  }
  d.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
}

/** asksForLocalPath: the binder handed the claim to this provisioner (cheap filter for the event handlers). */
function asksForLocalPath(c: KubeObject): boolean {
  const a = c.metadata.annotations ?? {};
  return a[ANN_STORAGE_PROVISIONER] === LOCAL_PATH_PROVISIONER || a[ANN_BETA_STORAGE_PROVISIONER] === LOCAL_PATH_PROVISIONER;
}

function giveUp(queue: WorkQueue, key: string, logger: Logger, e: unknown): boolean {
  if (!(e instanceof ProvisioningFailed) || queue.retries(key) < FAILED_PROVISION_THRESHOLD - 1) return false;
  logger.warn('giving up provisioning the claim until it changes', { claim: key, retries: FAILED_PROVISION_THRESHOLD, err: e.message });
  return true;
}

/**
 * startLocalPathProvisioner is k3s's local-path-provisioner built into the controller manager: it
 * creates a hostPath PersistentVolume on the selected node for each claim the binder hands to
 * `skiff.io/local-path` (events Provisioning / ProvisioningSucceeded / ProvisioningFailed as
 * external-provisioner writes them). Folders are made and removed, and released volumes deleted,
 * by each node's agent (src/agent/localpath).
 */
export const startLocalPathProvisioner: ControllerStarter = async (ctx) => {
  const claims = ctx.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
  const classes = ctx.informers.forResource(STORAGE_CLASSES);
  const volumes = ctx.informers.forResource(PERSISTENT_VOLUMES);
  const nodes = ctx.informers.forResource(NODES);
  const queue = new WorkQueue(ctx.clock, { baseDelayMs: RETRY_START_MS, maxDelayMs: RETRY_MAX_MS });
  const onClaim = (c: KubeObject): void => {
    if (asksForLocalPath(c)) queue.add(objectKeyOf(c));
  };
  claims.addHandlers({ onAdd: onClaim, onUpdate: (_, c) => onClaim(c) });
  await ctx.informers.waitForSync();
  const d: ProvisionerDeps = {
    claims,
    classes,
    volumes,
    nodes,
    pvClient: ctx.client.resource(PERSISTENT_VOLUMES),
    nodeClient: ctx.client.resource(NODES),
    recorder: ctx.recorder(LOCAL_PATH_PROVISIONER),
    storage: ctx.config.localStorage ?? { defaultPath: '', fallbackPath: '/var/lib/skiff/storage' },
  };
  const sync = async (key: string): Promise<void> => {
    try {
      await provisionClaim(d, key);
    } catch (e) {
      if (!giveUp(queue, key, ctx.logger, e)) throw e;
    }
  };
  await runController({ name: 'local-path-provisioner', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
