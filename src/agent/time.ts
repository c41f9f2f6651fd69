/** Time stamps in the two formats the API uses. */

/** rfc3339 formats ms as a meta/v1 Time: whole seconds, UTC, e.g. `2024-01-02T03:04:05Z`. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** microTime formats ms as a meta/v1 MicroTime (six fractional digits), e.g. `2024-01-02T03:04:05.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
