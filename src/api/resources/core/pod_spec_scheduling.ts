/** Validation of the scheduling parts of a PodSpec (nodeSelector, tolerations, affinity) and of taint effects. */
import { fieldErr, type FieldError } from '../../field_errors.js';
import { validateLabels } from '../../labels/validation.js';
import { arr } from '../../object.js';
import { isObject } from '../../types.js';
import { isQualifiedName, isValidLabelValue } from '../../validation/names.js';

/** TAINT_EFFECTS are the supported taint effects, in upstream's order. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateTaintEffect checks an effect; empty is allowed only when allowEmpty (tolerations). */
export function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && (effect === undefined || effect === '')) return [fieldErr.required(path)];
  if (effect === undefined || effect === '') return [];
  return TAINT_EFFECTS.includes(String(effect)) ? [] : [fieldErr.notSupported(path, effect, TAINT_EFFECTS)];
}

/** validateTolerations checks each toleration's key, operator/value pairing, effect and tolerationSeconds. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const tol = isObject(t) ? t : {};
    const key = typeof tol['key'] === 'string' ? tol['key'] : '';
    const op = tol['operator'] ?? '';
    const value = typeof tol['value'] === 'string' ? tol['value'] : '';
    if (key) for (const m of isQualifiedName(key)) errs.push(fieldErr.invalid(`${p}.key`, key, m));
    if (!key && op !== 'Exists') {
      errs.push(fieldErr.invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (tol['tolerationSeconds'] !== undefined && tol['tolerationSeconds'] !== null && tol['effect'] !== 'NoExecute') {
      errs.push(fieldErr.invalid(`${p}.effect`, tol['effect'] ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === '' || op === 'Equal') {
      for (const m of isValidLabelValue(value)) errs.push(fieldErr.invalid(`${p}.operator`, value, m));
    } else if (op === 'Exists') {
      if (value) errs.push(fieldErr.invalid(`${p}.operator`, tol, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldErr.notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    errs.push(...validateTaintEffect(tol['effect'], true, `${p}.effect`));
  });
  return errs;
}

const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

function validateNodeSelectorTerm(term: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(term, 'matchExpressions').forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const key = typeof (isObject(e) && e['key']) === 'string' ? String(isObject(e) ? e['key'] : '') : '';
    const op = isObject(e) ? e['operator'] : undefined;
    const n = arr(e, 'values').length;
    if (op === 'In' || op === 'NotIn') {
      if (n === 0) errs.push(fieldErr.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (n > 0) errs.push(fieldErr.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else if (op === 'Gt' || op === 'Lt') {
      if (n !== 1) errs.push(fieldErr.required(`${p}.values`, 'must be specified single value when `operator` is \'Lt\' or \'Gt\''));
    } else {
      errs.push(fieldErr.notSupported(`${p}.operator`, op, selectorOperators));
    }
    for (const m of isQualifiedName(key)) errs.push(fieldErr.invalid(`${p}.key`, key, m));
  });
  return errs;
}

/** validateAffinity checks required node affinity terms and that pod (anti-)affinity terms name a topologyKey. */
export function validateAffinity(affinity: unknown, path: string): FieldError[] {
  if (!isObject(affinity)) return [];
  const errs: FieldError[] = [];
  const required = isObject(affinity['nodeAffinity']) ? affinity['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution'] : undefined;
  if (isObject(required)) {
    const rp = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    const terms = arr(required, 'nodeSelectorTerms');
    if (terms.length === 0) errs.push(fieldErr.required(rp, 'must have at least one node selector term'));
    terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, `${rp}[${i}]`)));
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const k = affinity[kind];
    if (!isObject(k)) continue;
    const rp = `${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution`;
    arr(k, 'requiredDuringSchedulingIgnoredDuringExecution').forEach((t, i) => {
      if (!(isObject(t) && typeof t['topologyKey'] === 'string' && t['topologyKey'])) {
        errs.push(fieldErr.required(`${rp}[${i}].topologyKey`, 'can not be empty'));
      }
    });
  }
  return errs;
}

/** validateNodeSelector checks spec.nodeSelector as a label map. */
export function validateNodeSelector(sel: unknown, path: string): FieldError[] {
  return validateLabels(sel, path);
}
