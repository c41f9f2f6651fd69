import { fieldErr, type FieldError } from '../../api/field_errors.js';
import { isObject } from '../../api/types.js';
import type { SchemaNode } from '../schema_types.js';
import { definitionNameOf, QUANTITY_FORMAT } from './schema_node.js';

/** ValidateOptions bounds the work of validateFields. */
export interface ValidateOptions {
  /** limit caps the number of unknown fields plus errors reported (default 100). */
  limit?: number;
}

/** FieldValidationResult lists unknown field paths and mistyped fields. */
export interface FieldValidationResult {
  /** unknownFields are JSON paths as kube-apiserver reports them: `spec.template.spec.containers[0].foo`. */
  unknownFields: string[];
  /**
   * errors are FieldValueTypeInvalid errors whose detail reads like kube-apiserver's decoding error:
   * `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
   */
  errors: FieldError[];
}

interface Walk {
  out: FieldValidationResult;
  limit: number;
}

/**
 * validateFields walks obj along schema and reports fields the schema does not know (strict field
 * validation) and values of the wrong JSON type. null is accepted anywhere (it decodes to the zero
 * value); nodes with preserveUnknownFields are not looked into; int-or-string and quantity
 * fields accept numbers and strings.
 */
export function validateFields(obj: unknown, schema: SchemaNode, opts: ValidateOptions = {}): FieldValidationResult {
  const w: Walk = { out: { unknownFields: [], errors: [] }, limit: opts.limit ?? 100 };
  walk(w, obj, schema, '', '', shortName(definitionNameOf(schema)) ?? 'Object');
  return w.out;
}

function full(w: Walk): boolean {
  return w.out.unknownFields.length + w.out.errors.length >= w.limit;
}

/** walk checks value at path; goPath is the same path without indexes, struct the enclosing Go struct. */
function walk(w: Walk, value: unknown, node: SchemaNode, path: string, goPath: string, struct: string): void {
  if (value === null || value === undefined || node.preserveUnknownFields || full(w)) return;
  const kind = jsonKind(value);
  if (!accepts(node, value, kind)) {
    const what = kind === 'number' && node.type === 'integer' ? `number ${String(value)}` : kind;
    const detail = `json: cannot unmarshal ${what} into Go struct field ${struct}.${goPath} of type ${goType(node)}`;
    w.out.errors.push(fieldErr.typeInvalid(path, value, detail));
    return;
  }
  if (Array.isArray(value) && node.items) {
    const items = node.items;
    value.forEach((v, i) => walk(w, v, items, `${path}[${i}]`, goPath, struct));
  } else if (isObject(value) && node.properties) {
    const inner = shortName(definitionNameOf(node)) ?? struct;
    for (const [k, v] of Object.entries(value)) {
      const p = path === '' ? k : `${path}.${k}`;
      const child = node.properties[k];
      if (child === undefined) {
        if (!full(w)) w.out.unknownFields.push(p);
        continue;
      }
      walk(w, v, child, p, goPath === '' ? k : `${goPath}.${k}`, inner);
    }
  } else if (isObject(value) && node.additionalProperties) {
    const values = node.additionalProperties;
    for (const [k, v] of Object.entries(value)) walk(w, v, values, path === '' ? k : `${path}.${k}`, goPath, struct);
  }
}

type JsonKind = 'string' | 'number' | 'bool' | 'array' | 'object';

function jsonKind(v: unknown): JsonKind {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

function accepts(node: SchemaNode, value: unknown, kind: JsonKind): boolean {
  if (node.intOrString) return kind === 'string' || (kind === 'number' && Number.isInteger(value));
  if (node.format === QUANTITY_FORMAT) return kind === 'string' || kind === 'number';
  switch (node.type) {
    case 'string':
      return kind === 'string';
    case 'integer':
      return kind === 'number' && Number.isInteger(value);
    case 'number':
      return kind === 'number';
    case 'boolean':
      return kind === 'bool';
    case 'array':
      return kind === 'array';
    case 'object':
      return kind === 'object';
    default:
      return true;
  }
}

/** goType names the Go type behind a node, as encoding/json prints it. */
function goType(node: SchemaNode): string {
  if (node.intOrString) return 'intstr.IntOrString';
  if (node.format === QUANTITY_FORMAT) return 'resource.Quantity';
  const def = definitionNameOf(node);
  if (def !== undefined && node.type === 'object') return `${def.split('.').at(-2) ?? 'v1'}.${shortName(def) ?? ''}`;
  switch (node.type) {
    case 'integer':
      return node.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${node.items ? goType(node.items) : 'interface {}'}`;
    case 'object':
      return `map[string]${node.additionalProperties ? goType(node.additionalProperties) : 'interface {}'}`;
    default:
      return node.type ?? 'interface {}';
  }
}

function shortName(def: string | undefined): string | undefined {
  return def?.split('.').at(-1);
}
