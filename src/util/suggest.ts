/** Up to `limit` candidates closest to `name` (substring matches first, then edit distance). */
export function closest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const scored: [number, string][] = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const score = cl.includes(lower) || lower.includes(cl) ? 0 : editDistance(lower, cl) / Math.max(lower.length, cl.length, 1);
    if (score <= 0.5) scored.push([score, c]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].length - b[1].length).slice(0, limit).map(([, c]) => c);
}

/** " (did you mean "a", "b"?)" or "" when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = closest(name, candidates);
  return near.length ? ` (did you mean ${near.map((c) => `"${c}"`).join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
