/** PolicyRule is an rbac.authorization.k8s.io/v1 PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What one rule is asked about: a resource request or a non-resource URL. */
export interface RuleRequest {
  verb: string;
  isResourceRequest: boolean;
  /** path is the URL path of a non-resource request. */
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
}

function has(list: string[] | undefined, v: string): boolean {
  if (!list) return false;
  for (const x of list) if (x === '*' || x === v) return true;
  return false;
}

function resourceMatches(resources: string[] | undefined, resource: string, subresource: string): boolean {
  if (!resources) return false;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of resources) {
    if (r === '*' || r === combined) return true;
    // `*/scale` grants that subresource of every resource.
    if (subresource && r.length > 2 && r.startsWith('*/') && r.slice(2) === subresource) return true;
  }
  return false;
}

function urlMatches(urls: string[] | undefined, path: string): boolean {
  if (!urls) return false;
  for (const u of urls) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** ruleAllows reports whether one rule grants the request (rbac's RuleAllows). */
export function ruleAllows(r: RuleRequest, rule: PolicyRule): boolean {
  if (!has(rule.verbs, r.verb)) return false;
  if (!r.isResourceRequest) return urlMatches(rule.nonResourceURLs, r.path);
  if (!has(rule.apiGroups, r.apiGroup) || !resourceMatches(rule.resources, r.resource, r.subresource)) return false;
  const names = rule.resourceNames;
  return !names || names.length === 0 || names.includes(r.name);
}

/** rulesAllow reports whether any of rules grants the request. */
export function rulesAllow(r: RuleRequest, rules: readonly PolicyRule[]): boolean {
  for (const rule of rules) if (ruleAllows(r, rule)) return true;
  return false;
}

function covers(owned: string[] | undefined, wanted: string): boolean {
  return has(owned, wanted);
}

function ownerCoversResource(owned: string[] | undefined, wanted: string): boolean {
  if (!owned) return false;
  for (const r of owned) {
    if (r === '*' || r === wanted) return true;
    const slash = wanted.indexOf('/');
    if (slash >= 0 && r.startsWith('*/') && r.slice(2) === wanted.slice(slash + 1)) return true;
    if (r.endsWith('/*') && slash >= 0 && r.slice(0, -2) === wanted.slice(0, slash)) return true;
  }
  return false;
}

/** breakdown splits a rule into rules of one verb, group, resource and name (or one URL) each. */
export function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        else for (const n of names) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [n] });
      }
    }
  }
  return out;
}

/** ruleCovers reports whether owner grants everything the single-valued rule sub grants (rbac's ruleCovers). */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verb = sub.verbs[0] ?? '';
  if (!covers(owner.verbs, verb)) return false;
  if (sub.nonResourceURLs?.length) return urlMatches(owner.nonResourceURLs, sub.nonResourceURLs[0] ?? '');
  if (!covers(owner.apiGroups, sub.apiGroups?.[0] ?? '')) return false;
  if (!ownerCoversResource(owner.resources, sub.resources?.[0] ?? '')) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  const wanted = sub.resourceNames?.[0];
  return wanted !== undefined && ownerNames.includes(wanted);
}

/** uncovered returns the parts of wanted that owned does not grant (empty: owned covers wanted). */
export function uncovered(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const sub of breakdown(rule)) {
      if (!owned.some((o) => ruleCovers(o, sub))) missing.push(sub);
    }
  }
  return missing;
}

/** formatRule prints a rule as kube-apiserver's escalation errors do: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function formatRule(r: PolicyRule): string {
  const q = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
