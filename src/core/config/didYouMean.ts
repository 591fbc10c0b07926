import { distance } from 'fastest-levenshtein';

/** The closest known word to a misspelled one, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // Case differences are the commonest typo in camelCase field names: weigh them lightly.
    const d =
      candidate.toLowerCase() === word.toLowerCase() ? 0.5 : distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}
