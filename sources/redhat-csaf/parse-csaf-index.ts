export interface CsafIndexRow {
  /** Relative to the feed's base URL, e.g. "2023/rhsa-2023_7464.json". */
  path: string;
  changedAt: Date;
}

export type ParseCsafIndexResult = { ok: true; rows: CsafIndexRow[] } | { ok: false; error: { kind: "parse"; message: string } };

const ROW = /^"(\d{4}\/[a-z]+-\d{4}_\d+\.json)","(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"$/;
const PATH = /^(\d{4})\/([a-z]+)-(\d{4})_(\d+)\.json$/;
const ID = /^([A-Z]+)-(\d{4}):(\d+)$/;

/** `changes.csv` / `deletions.csv`: one `"<year>/<id>.json","<ISO time>"` row per line, no header. */
export function parseCsafIndex(text: string): ParseCsafIndexResult {
  const rows: CsafIndexRow[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const match = ROW.exec(line.trim());
    const changedAt = match ? new Date(match[2]) : null;
    if (!match || !changedAt || Number.isNaN(changedAt.getTime())) {
      return {
        ok: false,
        error: {
          kind: "parse",
          message: `line ${index + 1} (${line.length} characters) is not a CSAF index row "<year>/<id>.json","<ISO time>"`,
        },
      };
    }
    rows.push({ path: match[1], changedAt });
  }
  return { ok: true, rows };
}

/** `2023/rhsa-2023_7464.json` → `RHSA-2023:7464`; null for any other shape. */
export function csafPathToId(csafPath: string): string | null {
  const match = PATH.exec(csafPath);
  if (!match || match[1] !== match[3]) return null;
  return `${match[2].toUpperCase()}-${match[3]}:${match[4]}`;
}

/** `RHSA-2023:7464` → `2023/rhsa-2023_7464.json`; null for any other shape. */
export function csafIdToPath(id: string): string | null {
  const match = ID.exec(id);
  if (!match) return null;
  return `${match[2]}/${match[1].toLowerCase()}-${match[2]}_${match[3]}.json`;
}
