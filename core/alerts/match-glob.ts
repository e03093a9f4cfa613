/** Counts the comparisons a matcher makes, so a caller (or a test) can hold it to a work budget. */
export interface GlobStepCounter {
  steps: number;
}

/** An anchored, case-sensitive glob: `*` matches any run of characters (none included), `?` exactly one. */
export type GlobMatcher = (text: string, counter?: GlobStepCounter) => boolean;

/**
 * Compiles a glob into a matcher that never backtracks further than the last `*` it passed: at most
 * (pattern length + 1) × (text length + 1) steps, however many `*` the pattern holds (a later `*` can absorb
 * whatever an earlier one would have, so retrying earlier ones is never needed). Runs of `*` are collapsed first.
 */
export function compileGlob(pattern: string): GlobMatcher {
  const glob = pattern.replace(/\*{2,}/g, "*");
  return (text, counter) => {
    let steps = 0;
    let g = 0;
    let t = 0;
    let starAt = -1;
    let starText = 0;
    try {
      while (t < text.length) {
        steps++;
        const token = glob[g];
        if (g < glob.length && token !== "*" && (token === "?" || token === text[t])) {
          g++;
          t++;
        } else if (token === "*") {
          starAt = g++;
          starText = t;
        } else if (starAt >= 0) {
          g = starAt + 1;
          t = ++starText;
        } else {
          return false;
        }
      }
      while (glob[g] === "*") {
        steps++;
        g++;
      }
      return g === glob.length;
    } finally {
      if (counter) counter.steps += steps;
    }
  };
}

export function matchGlob(pattern: string, text: string, counter?: GlobStepCounter): boolean {
  return compileGlob(pattern)(text, counter);
}
