import { StatusError, type Status } from '../../api/errors.js';
import type { ApiCore } from '../core.js';
import { ALLOW, type Attributes, type Authorizer, type Decision, forbiddenMessage } from './attributes.js';
import { NodeAuthorizer } from './node.js';
import { RBACAuthorizer } from './rbac.js';
import type { PolicyRule } from './rules.js';

export { attributesOf, forbiddenMessage, type Attributes, type Authorizer, type Decision } from './attributes.js';
export { RBACAuthorizer, RBAC_GROUP } from './rbac.js';
export { NodeAuthorizer, nodeNameOf } from './node.js';
export type { PolicyRule } from './rules.js';

/** MASTERS is the group kube-apiserver lets do anything, before any authorizer is asked. */
export const MASTERS = 'system:masters';

/** ClusterAuthorizer is the server's authorization chain: system:masters, then Node, then RBAC. */
export class ClusterAuthorizer implements Authorizer {
  readonly rbac: RBACAuthorizer;
  readonly node: NodeAuthorizer;

  constructor(
    core: ApiCore,
    readonly nodeRules: readonly PolicyRule[],
  ) {
    this.rbac = new RBACAuthorizer(core);
    this.node = new NodeAuthorizer(core, nodeRules);
  }

  authorize(a: Attributes): Decision {
    if (a.user.groups.includes(MASTERS)) return ALLOW;
    const reasons: string[] = [];
    for (const z of [this.node, this.rbac]) {
      const d = z.authorize(a);
      if (d.decision !== 'none') return d;
      if (d.reason) reasons.push(d.reason);
    }
    return { decision: 'deny', reason: reasons.join(', ') };
  }

  stop(): void {
    this.rbac.stop();
    this.node.stop();
  }
}

/** forbidden is the 403 kube-apiserver answers a refused request with. */
export function forbidden(a: Attributes, reason: string): StatusError {
  let message = forbiddenMessage(a);
  if (reason) message += `: ${reason}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  let text: string;
  if (!a.isResourceRequest || !a.resource) text = `forbidden: ${message}`;
  else if (!a.name) text = `${qualified} is forbidden: ${message}`;
  else text = `${qualified} "${a.name}" is forbidden: ${message}`;
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: text, reason: 'Forbidden', code: 403, details: {} };
  if (a.isResourceRequest) status.details = { ...(a.name ? { name: a.name } : {}), group: a.apiGroup, kind: a.resource };
  return new StatusError(status);
}

/** check throws the 403 unless the authorizer allows a. */
export function check(authorizer: Authorizer, a: Attributes): void {
  const d = authorizer.authorize(a);
  if (d.decision !== 'allow') throw forbidden(a, d.reason);
}
