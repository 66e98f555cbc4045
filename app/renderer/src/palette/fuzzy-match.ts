// The palette's filter: the query's characters in order anywhere in the text (case-insensitive), scored so
// that matches at word starts and in runs rank first — as VS Code's quick open does, in a few lines.

export interface FuzzyMatch {
  readonly score: number;
  /** Indices in the text of the matched characters (for highlighting). */
  readonly indices: readonly number[];
}

const wordStart = /[\s._:/-]/;

/** The match of `query` in `text`, or undefined when the characters do not all appear in order. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | undefined {
  const q = query.trim().toLowerCase();
  if (q === '') return { score: 0, indices: [] };
  const t = text.toLowerCase();
  const indices: number[] = [];
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    if (char === ' ') continue;
    const index = t.indexOf(char, from);
    if (index < 0) return undefined;
    indices.push(index);
    score += 1;
    if (index === 0 || wordStart.test(t[index - 1] ?? '')) score += 8;
    else if (text[index] !== t[index] && text[index - 1] === t[index - 1]) score += 6; // camelCase hump
    if (index === previous + 1) score += 4;
    score -= Math.min(3, (index - from) * 0.1);
    previous = index;
    from = index + 1;
  }
  // A shorter text with the same matches is the better hit.
  return { score: score - t.length * 0.01, indices };
}

/** The items whose text matches, best first (ties keep their order). */
export function fuzzyFilter<T>(
  query: string,
  items: readonly T[],
  text: (item: T) => string,
): { item: T; match: FuzzyMatch }[] {
  const matched: { item: T; match: FuzzyMatch; order: number }[] = [];
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, text(item));
    if (match !== undefined) matched.push({ item, match, order });
  });
  matched.sort((a, b) => b.match.score - a.match.score || a.order - b.order);
  return matched.map(({ item, match }) => ({ item, match }));
}
