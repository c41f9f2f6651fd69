import { errors } from '../api/errors.js';
import { validateFields } from './openapi/index.js';
import type { ApiCore } from './core.js';
import type { Scope } from './scope.js';

/**
 * checkFields applies the `fieldValidation` mode to a request body against the kind's schema:
 * mistyped fields are always a 400; unknown fields are a 400 (Strict), a warning (Warn) or ignored.
 */
export function checkFields(core: ApiCore, scope: Scope, body: Record<string, unknown>): void {
  const schemas = core.opts.schemas;
  if (!schemas) return;
  const { group, version } = scope.served;
  const kind = scope.subresource === 'scale' ? undefined : scope.served.type.kind;
  if (!kind) return;
  const schema = schemas.forKind(group, version, kind);
  if (!schema) return;
  const { unknownFields, errors: typeErrors } = validateFields(body, schema);
  if (typeErrors.length) {
    throw errors.badRequest(typeErrors.map((e) => e.detail ?? `${e.field}: invalid type`).join(', '));
  }
  if (!unknownFields.length || scope.fieldValidation === 'Ignore') return;
  const msgs = unknownFields.map((f) => `unknown field "${f}"`);
  if (scope.fieldValidation === 'Strict') throw errors.badRequest(`strict decoding error: ${msgs.join(', ')}`);
  scope.warnings.push(...msgs);
}
