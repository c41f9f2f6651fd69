import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import { approvalUpdate, populateConditionTimestamps, validateCsrUpdate } from '../../api/resources/certificates/index.js';
import type { KubeObject } from '../../api/types.js';
import { isObject } from '../../api/types.js';
import type { ApiCore } from '../core.js';
import { decodeBody, decodeObjectBody, readBody, writeJSON } from '../http_io.js';
import { rfc3339 } from '../object_meta.js';
import { applyPatch, patchTypeFromContentType } from '../patch/index.js';
import { patchNamesResourceVersion } from '../patch_object.js';
import type { SubresourceHandler } from '../rest_handler.js';
import type { Scope } from '../scope.js';
import { decodeForWrite, guaranteedUpdate, qualified } from '../writes.js';

const APPROVAL_RULES = { allowSettingApprovalConditions: true, allowSettingCertificate: false };

/**
 * updateApproval is PUT certificatesigningrequests/NAME/approval: only status.conditions come from
 * the body (the approval strategy), validated with the approval rules (Approved and Denied exclude
 * each other, none may be removed), condition times stamped. A resourceVersion in the body pins
 * the update (409 when stale), as kubectl certificate approve sends it.
 */
export async function updateApproval(core: ApiCore, scope: Scope, name: string, body: Record<string, unknown>): Promise<KubeObject> {
  const s: Scope = { ...scope, subresource: 'approval' };
  const t = s.served.type;
  const input = decodeForWrite(core, s, body);
  if (input.metadata.name !== undefined && input.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
  }
  const pinned = input.metadata.resourceVersion;
  return guaranteedUpdate(core, s, name, (current) => {
    const next = approvalUpdate(current, input);
    populateConditionTimestamps(next, current, rfc3339(core.opts.clock.now()));
    const errs = validateCsrUpdate(next, current, APPROVAL_RULES);
    if (errs.length) throw errors.invalid(qualified(t), name, errs);
    if (pinned) next.metadata.resourceVersion = pinned;
    else delete next.metadata.resourceVersion;
    return next;
  }, { system: true });
}

/** patchApproval applies a patch to the served object and sends the result through updateApproval. */
async function patchApproval(core: ApiCore, scope: Scope, name: string, req: IncomingMessage): Promise<KubeObject> {
  const type = patchTypeFromContentType(req.headers['content-type'] ?? '');
  if (!type) throw errors.unsupportedMediaType('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json');
  const patch = decodeBody(await readBody(req), 'application/json');
  const current = await core.get(scope, name);
  const schema = core.opts.schemas?.forKind(scope.served.group, scope.served.version, scope.served.type.kind);
  const patched = applyPatch(current as unknown as Record<string, unknown>, patch, type, schema);
  if (!patchNamesResourceVersion(type, patch) && isObject(patched.metadata)) delete patched.metadata.resourceVersion;
  return updateApproval(core, scope, name, patched);
}

/** approvalHandler serves GET, PUT and PATCH of certificatesigningrequests/NAME/approval over HTTP. */
export function approvalHandler(core: ApiCore): SubresourceHandler {
  return async (req: IncomingMessage, res: ServerResponse, scope, name, info) => {
    const t = scope.served.type;
    switch (info.verb) {
      case 'get':
        return writeJSON(res, 200, await core.get(scope, name));
      case 'update':
        return writeJSON(res, 200, await updateApproval(core, scope, name, decodeObjectBody(await readBody(req), req.headers['content-type'])));
      case 'patch':
        return writeJSON(res, 200, await patchApproval(core, scope, name, req));
      default:
        throw errors.methodNotSupported(qualified(t), info.verb);
    }
  };
}

/** certificateSubresources returns the CSR subresource handlers, keyed as ApiServerOptions.subresources expects. */
export function certificateSubresources(core: ApiCore): Map<string, SubresourceHandler> {
  return new Map([['certificatesigningrequests/approval', approvalHandler(core)]]);
}
