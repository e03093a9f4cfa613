export interface SrpmIndexEntry {
  /** Decoded, e.g. `389-ds-base-1.4.3.16-13.module+el8.4.0+20051+4c8b1bc0.src.rpm`. */
  fileName: string;
  /** As written in the page (percent-encoded), relative to the index URL. */
  href: string;
  /** The row's "Last modified" column, when it has one. */
  modifiedAt: Date | null;
}

export type ParseSrpmIndexResult = { ok: true; entries: SrpmIndexEntry[] } | { ok: false; error: { kind: "parse"; message: string } };

const ANCHOR = /<a\s[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>/gis;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// Apache autoindex writes `2023-06-20 14:03`, nginx and Apache's <pre> listing `20-Jun-2023 14:03`.
const ISO_TIME = /(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?/;
const NGINX_TIME = new RegExp(`(\\d{2})-(${MONTHS.join("|")})-(\\d{4})\\s+(\\d{2}):(\\d{2})(?::(\\d{2}))?`);

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Directory listings show the server's clock without a zone; Oracle's and the simulator's run on UTC. */
function findModifiedAt(rowText: string): Date | null {
  const text = rowText.replace(/<[^>]*>/g, " ").replace(/&nbsp;/g, " ");
  const iso = ISO_TIME.exec(text);
  if (iso) return new Date(Date.UTC(+iso[1], +iso[2] - 1, +iso[3], +iso[4], +iso[5], +(iso[6] ?? 0)));
  const nginx = NGINX_TIME.exec(text);
  if (nginx) return new Date(Date.UTC(+nginx[3], MONTHS.indexOf(nginx[2]), +nginx[1], +nginx[4], +nginx[5], +(nginx[6] ?? 0)));
  return null;
}

/** SRPM file names (and modification times) from an Apache or nginx HTML directory index. */
export function parseSrpmIndex(html: string): ParseSrpmIndexResult {
  const fail = (message: string): ParseSrpmIndexResult => ({ ok: false, error: { kind: "parse", message: `SRPM index: ${message}` } });
  if (!/<(title|h1)>\s*Index of\b/i.test(html)) return fail('not a directory index (no "Index of" title)');
  if (!/<\/html>\s*$/i.test(html)) return fail("truncated: the page ends before </html>");

  const anchors = [...html.matchAll(ANCHOR)];
  const entries = new Map<string, SrpmIndexEntry>();
  for (const [index, anchor] of anchors.entries()) {
    const href = decodeEntities(anchor[2]);
    const path = href.split(/[?#]/)[0];
    let fileName: string;
    try {
      fileName = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
    } catch {
      return fail(`undecodable link #${index + 1}`);
    }
    if (!fileName.endsWith(".src.rpm") || entries.has(fileName)) continue;
    const rowStart = anchor.index + anchor[0].length;
    const row = html.slice(rowStart, anchors[index + 1]?.index ?? html.length).split(/<\/tr>|\n/i)[0];
    entries.set(fileName, { fileName, href, modifiedAt: findModifiedAt(row) });
  }
  return { ok: true, entries: [...entries.values()] };
}
