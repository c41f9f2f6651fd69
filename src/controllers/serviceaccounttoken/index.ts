import type { KubeObject } from '../../api/types.js';
import { R } from '../../client/client.js';
import { runController, splitKey } from '../../client/controller.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { ControllerStarter, LegacyTokenClaims } from '../context.js';

/** SERVICE_ACCOUNT_TOKEN_TYPE is the Secret type that carries a legacy token. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const UID_ANNOTATION = 'kubernetes.io/service-account.uid';

type Data = Record<string, string>;
const isTokenSecret = (s: KubeObject): boolean => s.type === SERVICE_ACCOUNT_TOKEN_TYPE;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const dataOf = (s: KubeObject): Data => ({ ...((s.data as Data | undefined) ?? {}) });
const code = (e: unknown): number | undefined => (e as { code?: number }).code;

/**
 * fill returns the Secret with what it lacks (ca.crt when it differs from the root CA, namespace,
 * a token, and both service-account annotations), or undefined when nothing is missing.
 */
async function fill(secret: KubeObject, sa: KubeObject, rootCAPem: string | undefined, sign: (c: LegacyTokenClaims) => Promise<string>): Promise<KubeObject | undefined> {
  const data = dataOf(secret);
  const needsCA = !!rootCAPem && data['ca.crt'] !== b64(rootCAPem);
  const needsNamespace = !data.namespace;
  const needsToken = !data.token;
  const annotations = secret.metadata.annotations ?? {};
  const uid = sa.metadata.uid ?? '';
  if (!needsCA && !needsNamespace && !needsToken && annotations[UID_ANNOTATION] === uid) return undefined;
  const namespace = secret.metadata.namespace ?? '';
  if (needsCA && rootCAPem) data['ca.crt'] = b64(rootCAPem);
  if (needsNamespace) data.namespace = b64(namespace);
  if (needsToken) {
    const claims = { namespace, serviceAccountName: sa.metadata.name ?? '', serviceAccountUID: uid, secretName: secret.metadata.name ?? '' };
    data.token = b64(await sign(claims));
  }
  return { ...secret, metadata: { ...secret.metadata, annotations: { ...annotations, [NAME_ANNOTATION]: sa.metadata.name ?? '', [UID_ANNOTATION]: uid } }, data };
}

/**
 * startServiceAccountTokenController is kube-controller-manager's serviceaccount-token
 * controller: a `kubernetes.io/service-account-token` Secret gets a non-expiring token of the
 * ServiceAccount its annotation names, `ca.crt` and `namespace`; a token Secret whose
 * ServiceAccount does not exist (or was recreated: another uid) is deleted, and a deleted Secret
 * is dropped from the account's `secrets` list.
 */
export const startServiceAccountTokenController: ControllerStarter = async (ctx) => {
  const sign = ctx.config.signLegacyToken;
  if (!sign) return;
  const secrets = ctx.informers.forResource(R.secrets);
  const accounts = ctx.informers.forResource(R.serviceaccounts);
  const queue = new WorkQueue(ctx.clock);
  const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  const ofSecret = (s: KubeObject): void => {
    if (isTokenSecret(s)) queue.add(key(s));
  };
  const ofAccount = (sa: KubeObject): void => {
    for (const s of secrets.list(sa.metadata.namespace)) if (isTokenSecret(s) && s.metadata.annotations?.[NAME_ANNOTATION] === sa.metadata.name) queue.add(key(s));
  };
  secrets.addHandlers({ onAdd: ofSecret, onUpdate: (_, s) => ofSecret(s), onDelete: ofSecret });
  accounts.addHandlers({ onAdd: ofAccount, onDelete: ofAccount });
  await ctx.informers.waitForSync();
  const secretClient = ctx.client.resource(R.secrets);
  const saClient = ctx.client.resource(R.serviceaccounts);

  const liveAccount = async (namespace: string, name: string, uid: string | undefined): Promise<KubeObject | undefined> => {
    let sa = accounts.get(`${namespace}/${name}`);
    if (!sa) {
      try {
        sa = await saClient.get(namespace, name);
      } catch (e) {
        if (code(e) !== 404) throw e;
      }
    }
    return sa && (!uid || sa.metadata.uid === uid) ? sa : undefined;
  };

  const dropReference = async (namespace: string, secretName: string): Promise<void> => {
    for (const sa of accounts.list(namespace)) {
      const refs = Array.isArray(sa.secrets) ? (sa.secrets as { name?: unknown }[]) : [];
      if (!refs.some((r) => r.name === secretName)) continue;
      await saClient.update({ ...sa, secrets: refs.filter((r) => r.name !== secretName) });
    }
  };

  const sync = async (k: string): Promise<void> => {
    const { namespace, name } = splitKey(k);
    const secret = secrets.get(k);
    if (!secret) return dropReference(namespace, name);
    if (!isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
    const annotations = secret.metadata.annotations ?? {};
    const sa = await liveAccount(namespace, annotations[NAME_ANNOTATION] ?? '', annotations[UID_ANNOTATION]);
    try {
      if (!sa) {
        await secretClient.delete(namespace, name, { preconditions: { uid: secret.metadata.uid ?? '' } });
        return;
      }
      const filled = await fill(secret, sa, ctx.config.rootCAPem, sign);
      if (filled) await secretClient.update(filled);
    } catch (e) {
      // 404: already gone; 409: the cache was behind, the next event brings the fresh Secret.
      if (code(e) === 409) return queue.addRateLimited(k);
      if (code(e) !== 404) throw e;
    }
  };
  await runController({ name: 'serviceaccount-token', queue, sync, workers: 2, logger: ctx.logger, signal: ctx.signal });
};
