/** Booleans spelled as Go's strconv.ParseBool accepts them: what Kubernetes query parameters take. */
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** parseGoBool returns the value of a ParseBool spelling, or undefined when it is none (e.g. "yes"). */
export function parseGoBool(v: string): boolean | undefined {
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}
