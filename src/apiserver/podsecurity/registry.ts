import type { JsonObject } from '../../api/types.js';
import type { Check, CheckPodFn, CheckResult, PodMeta } from './check.js';
import { BASELINE_CHECKS } from './checks_baseline.js';
import { RESTRICTED_CHECKS } from './checks_restricted.js';
import { older, type LevelVersion, type MinorVersion } from './level.js';

/** AggregateResult is the verdict of all checks of one level+version on one pod. */
export interface AggregateResult {
  allowed: boolean;
  /** reasons and details are index-aligned, one entry per failed check. */
  reasons: string[];
  details: string[];
}

/** forbiddenReason joins the reasons: `host ports, privileged`. */
export function forbiddenReason(r: AggregateResult): string {
  return r.reasons.join(', ');
}

/** forbiddenDetail joins reasons with their details in parentheses: `hostPort (container "a" uses hostPort 80), privileged (...)`. */
export function forbiddenDetail(r: AggregateResult): string {
  return r.reasons.map((reason, i) => (r.details[i] ? `${reason} (${r.details[i]})` : reason)).join(', ');
}

/** aggregate folds check results into one verdict, as upstream's policy.AggregateCheckResults. */
export function aggregate(results: CheckResult[]): AggregateResult {
  const failed = results.filter((r) => !r.allowed);
  return {
    allowed: failed.length === 0,
    reasons: failed.map((r) => r.forbiddenReason || 'unknown forbidden reason'),
    details: failed.map((r) => r.forbiddenDetail ?? ''),
  };
}

/** revisionAt picks a check's newest revision that applies at policy version v1.minor. */
function revisionAt(check: Check, minor: number): Check['versions'][number] | undefined {
  let found: Check['versions'][number] | undefined;
  for (const rev of check.versions) if (rev.minimumVersion.minor <= minor) found = rev;
  return found;
}

/**
 * Evaluator holds the checks of each level by policy version, as upstream's checkRegistry:
 * `latest` and versions newer than the newest revision of any check evaluate as that newest
 * version; restricted runs every baseline check its applicable revisions do not override; checks
 * run baseline first, then restricted, each group in check-id order (stable messages).
 */
export class Evaluator {
  private readonly byVersion = new Map<string, CheckPodFn[]>();
  /** maxVersion is the newest minimum version of any check (what `latest` means). */
  readonly maxVersion: MinorVersion;

  constructor(checks: Check[] = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS]) {
    const newest = Math.max(...checks.flatMap((c) => c.versions.map((r) => r.minimumVersion.minor)));
    this.maxVersion = { latest: false, minor: newest };
    const byId = (a: Check, b: Check): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const baseline = checks.filter((c) => c.level === 'baseline').sort(byId);
    const restricted = checks.filter((c) => c.level === 'restricted').sort(byId);
    for (let minor = 0; minor <= newest; minor++) {
      const baselineFns = baseline.map((c) => revisionAt(c, minor)).filter((r) => r !== undefined);
      const restrictedRevs = restricted.map((c) => revisionAt(c, minor)).filter((r) => r !== undefined);
      const overridden = new Set(restrictedRevs.flatMap((r) => r.overrides ?? []));
      const kept = baseline.filter((c) => !overridden.has(c.id)).map((c) => revisionAt(c, minor)).filter((r) => r !== undefined);
      this.byVersion.set(`baseline:${minor}`, baselineFns.map((r) => r.checkPod));
      this.byVersion.set(`restricted:${minor}`, [...kept, ...restrictedRevs].map((r) => r.checkPod));
    }
  }

  /** evaluatePod runs the checks of lv on a pod (privileged runs none). */
  evaluatePod(lv: LevelVersion, meta: PodMeta, spec: JsonObject): CheckResult[] {
    if (lv.level === 'privileged') return [];
    const version = older(this.maxVersion, lv.version) ? this.maxVersion : lv.version;
    const minor = version.latest ? this.maxVersion.minor : version.minor;
    return (this.byVersion.get(`${lv.level}:${minor}`) ?? []).map((check) => check(meta, spec));
  }

  /** check evaluates and aggregates in one step. */
  check(lv: LevelVersion, meta: PodMeta, spec: JsonObject): AggregateResult {
    return aggregate(this.evaluatePod(lv, meta, spec));
  }
}
