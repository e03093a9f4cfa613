export interface Evr {
  /** Missing epoch = 0. */
  epoch?: number | null;
  version: string;
  release: string;
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

function isAlpha(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z");
}

function isSegmentStart(ch: string): boolean {
  return isDigit(ch) || isAlpha(ch) || ch === "~" || ch === "^";
}

/** rpm's rpmvercmp (rpm ≥ 4.15, with `^`), ported statement by statement: -1, 0 or 1. */
export function compareRpmVersion(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let one = 0;
  let two = 0;
  while (one < a.length || two < b.length) {
    while (one < a.length && !isSegmentStart(a[one])) one++;
    while (two < b.length && !isSegmentStart(b[two])) two++;

    const chOne = a[one] ?? "";
    const chTwo = b[two] ?? "";
    if (chOne === "~" || chTwo === "~") {
      if (chOne !== "~") return 1;
      if (chTwo !== "~") return -1;
      one++;
      two++;
      continue;
    }
    if (chOne === "^" || chTwo === "^") {
      if (chOne === "") return -1;
      if (chTwo === "") return 1;
      if (chOne !== "^") return 1;
      if (chTwo !== "^") return -1;
      one++;
      two++;
      continue;
    }
    if (chOne === "" || chTwo === "") break;

    const isNumeric = isDigit(chOne);
    const inSegment = isNumeric ? isDigit : isAlpha;
    let endOne = one;
    let endTwo = two;
    while (endOne < a.length && inSegment(a[endOne])) endOne++;
    while (endTwo < b.length && inSegment(b[endTwo])) endTwo++;
    // Segments of different types: numeric beats alpha.
    if (endTwo === two) return isNumeric ? 1 : -1;

    let segmentOne = a.slice(one, endOne);
    let segmentTwo = b.slice(two, endTwo);
    if (isNumeric) {
      segmentOne = segmentOne.replace(/^0+/, "");
      segmentTwo = segmentTwo.replace(/^0+/, "");
      if (segmentOne.length !== segmentTwo.length) return segmentOne.length > segmentTwo.length ? 1 : -1;
    }
    if (segmentOne !== segmentTwo) return segmentOne < segmentTwo ? -1 : 1;
    one = endOne;
    two = endTwo;
  }
  if (one >= a.length && two >= b.length) return 0;
  return one >= a.length ? -1 : 1;
}

/** Epoch first (missing = 0), then version, then release, each with rpmvercmp. */
export function compareEvr(a: Evr, b: Evr): -1 | 0 | 1 {
  const epochA = a.epoch ?? 0;
  const epochB = b.epoch ?? 0;
  if (epochA !== epochB) return epochA < epochB ? -1 : 1;
  return compareRpmVersion(a.version, b.version) || compareRpmVersion(a.release, b.release);
}
