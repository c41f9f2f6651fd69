/** Completed-index sets of Indexed Jobs, in the interval text of status.completedIndexes ("1,3-5,7"). */

/** parseIndexes reads an interval list such as "1,3-5" into a set; bad parts are skipped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return out;
}

/** formatIndexes prints a set of indexes as a sorted interval list ("" for none). */
export function formatIndexes(set: Set<number>): string {
  const sorted = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const lo = sorted[i] ?? 0;
    let hi = lo;
    while (sorted[i + 1] === hi + 1) hi = sorted[++i] ?? hi;
    parts.push(lo === hi ? String(lo) : `${lo}-${hi}`);
    i++;
  }
  return parts.join(',');
}
