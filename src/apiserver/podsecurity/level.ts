import type { FieldError } from '../../api/field_errors.js';

/** Level is a Pod Security Standards profile. */
export type Level = 'privileged' | 'baseline' | 'restricted';

const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** MinorVersion is policy version v1.<minor>. */
export type MinorVersion = { latest: false; minor: number };

/** Version is a policy version: `latest`, or v1.<minor>. */
export type Version = { latest: true } | MinorVersion;

/** LATEST is the `latest` policy version. */
export const LATEST: Version = { latest: true };

/** v1 makes policy version v1.<minor>. */
export function v1(minor: number): MinorVersion {
  return { latest: false, minor };
}

/** LevelVersion is what one mode (enforce, audit, warn) evaluates. */
export interface LevelVersion {
  level: Level;
  version: Version;
}

/** Policy is a namespace's effective enforce, audit and warn settings. */
export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

const PREFIX = 'pod-security.kubernetes.io/';

/** LABELS are the namespace labels that set each mode's level and version. */
export const LABELS = {
  enforce: PREFIX + 'enforce',
  enforceVersion: PREFIX + 'enforce-version',
  audit: PREFIX + 'audit',
  auditVersion: PREFIX + 'audit-version',
  warn: PREFIX + 'warn',
  warnVersion: PREFIX + 'warn-version',
} as const;

/** AUDIT_ANNOTATION_PREFIX prefixes the audit annotations the plugin records. */
export const AUDIT_ANNOTATION_PREFIX = PREFIX;

/** versionString renders a version as in messages: `latest` or `v1.N`. */
export function versionString(v: Version): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** levelVersionString renders `level:version`, e.g. `restricted:latest`. */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

/** sameLevelVersion compares two level+versions by value. */
export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return levelVersionString(a) === levelVersionString(b);
}

/** older tells whether a is an older version than b (`latest` is newer than every v1.N). */
export function older(a: Version, b: Version): boolean {
  if (a.latest) return false;
  if (b.latest) return true;
  return a.minor < b.minor;
}

/** parseLevel returns the level, or restricted and an error message when the value is none. */
export function parseLevel(value: string): { level: Level; error?: string } {
  if ((LEVELS as readonly string[]).includes(value)) return { level: value as Level };
  return { level: 'restricted', error: `must be one of ${LEVELS.join(', ')}` };
}

/** parseVersion returns `latest` or v1.N, or latest and an error message for anything else. */
export function parseVersion(value: string): { version: Version; error?: string } {
  if (value === 'latest') return { version: LATEST };
  const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(value);
  const minor = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(minor)) return { version: LATEST, error: 'must be "latest" or "v1.x"' };
  return { version: v1(minor) };
}

/** compareLevels is -1, 0 or +1 as a is less strict than, as strict as, or stricter than b. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

/** fullyPrivileged tells whether every mode of a policy is privileged (nothing to evaluate). */
export function fullyPrivileged(p: Policy): boolean {
  return p.enforce.level === 'privileged' && p.audit.level === 'privileged' && p.warn.level === 'privileged';
}

function invalidLabel(errs: FieldError[], label: string, value: string, detail: string | undefined): void {
  if (detail !== undefined) errs.push({ type: 'FieldValueInvalid', field: `metadata.labels[${label}]`, badValue: value, detail });
}

/**
 * policyToEvaluate resolves a namespace's labels to its policy, falling back to defaults for
 * labels that are not set, as upstream's api.PolicyToEvaluate: a bad enforce level means
 * restricted (fail closed), a bad audit or warn level means privileged (fail open), a bad version
 * means latest; each bad label also yields a field error on metadata.labels[...].
 */
export function policyToEvaluate(labels: Record<string, string> | undefined, defaults: Policy): { policy: Policy; errors: FieldError[] } {
  const p: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errs: FieldError[] = [];
  if (!labels) return { policy: p, errors: errs };
  const modes = [
    ['enforce', LABELS.enforce, LABELS.enforceVersion],
    ['audit', LABELS.audit, LABELS.auditVersion],
    ['warn', LABELS.warn, LABELS.warnVersion],
  ] as const;
  for (const [mode, levelLabel, versionLabel] of modes) {
    const level = labels[levelLabel];
    if (level !== undefined) {
      const r = parseLevel(level);
      p[mode].level = r.error !== undefined && mode !== 'enforce' ? 'privileged' : r.level;
      invalidLabel(errs, levelLabel, level, r.error);
    }
    const version = labels[versionLabel];
    if (version !== undefined) {
      const r = parseVersion(version);
      p[mode].version = r.version;
      invalidLabel(errs, versionLabel, version, r.error);
    }
  }
  return { policy: p, errors: errs };
}
