/**
 * "Did you mean" suggestions for misspelt names (manifest keys, CLI flags): the closest candidate by
 * edit distance, ignoring case, when it is close enough to be a likely typo; else a candidate the input is a
 * shortened or lengthened form of (`idleTimeout` → `idleTimeoutSeconds`).
 */

/** Shortest input matched by its prefix alone (shorter ones match too many candidates by chance). */
const MIN_PREFIX_MATCH_LENGTH = 4;

/**
 * The candidate closest to `input`, or `undefined` when none is within a plausible typo distance and none
 * starts with the input (or is how the input starts).
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const threshold = Math.max(1, Math.floor(Math.max(input.length, 3) / 3));
  if (bestDistance <= threshold) return best;
  if (needle.length < MIN_PREFIX_MATCH_LENGTH) return undefined;
  return candidates.find((candidate) => {
    const lower = candidate.toLowerCase();
    return lower.startsWith(needle) || (lower.length >= MIN_PREFIX_MATCH_LENGTH && needle.startsWith(lower));
  });
}

/** `; did you mean "x"?` for a message, or an empty string when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : `; did you mean ${JSON.stringify(match)}?`;
}

/** Levenshtein distance, with adjacent transpositions counting as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}
