import "server-only";

import { formatDate, formatInstant } from "../../core/format/format-instant";
import type { MissingReportRow } from "../../contract/missing-report-dto";

/**
 * The missing-update report as GitHub-flavoured Markdown, to paste into a bug: one table line per package, with the tag
 * or file the mirror should show, the repository or index srcwatch checked, the newest build it found there, when it
 * last asked, and the mirrors that already have it. Every cell is escaped: NEVRAs and names come from outside.
 */

export interface MarkdownReportContext {
  /** "Delayed or missing updates on git.centos.org for RHEL 8" */
  title: string;
  now: Date;
  /** Where the same report is on srcwatch (absolute). */
  reportUrl: string;
  /** srcwatch's public origin, for links to advisory pages. */
  origin: string;
}

const HEADER = [
  "Advisory",
  "Severity",
  "Released",
  "Mirror",
  "Status",
  "Package",
  "Expected there",
  "Newest found there",
  "Last checked",
  "Already on",
];

/** Text in a table cell: no line breaks, no cell separator, no Markdown or HTML that would change the table. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/([\\`*_[\]<>|#!~])/g, "\\$1")
    .trim();
}

/** Text in a code span: a backtick inside would end it early, a pipe would still split the cell. */
function code(text: string): string {
  return `\`${text
    .replace(/[\r\n]+/g, " ")
    .replace(/`/g, "'")
    .replace(/\|/g, "\\|")}\``;
}

/** An http(s) link, or the plain text when the URL is not one. */
function link(text: string, url: string | null): string {
  if (!url || !/^https?:\/\/[^\s()<>]+$/.test(url)) return escapeMarkdownCell(text);
  return `[${escapeMarkdownCell(text)}](${url})`;
}

/** "tag imports/c8/kernel-…" → `imports/c8/kernel-…` (tag); anything else as plain text. */
function describeExpected(expected: string, checkedUrl: string): string {
  const match = /^(tag|file) (.+)$/.exec(expected);
  const what = match ? `${code(match[2])} (${match[1]})` : escapeMarkdownCell(expected);
  return checkedUrl ? `${what} in ${link(checkedUrl.replace(/^https?:\/\//, ""), checkedUrl)}` : what;
}

function formatRowLines(row: MissingReportRow, origin: string): string[] {
  const advisory = link(row.advisoryId, `${origin}/advisories/${encodeURIComponent(row.advisoryId)}`);
  const elsewhere =
    row.availableFrom.length === 0
      ? "nowhere yet"
      : row.availableFrom.map((source) => link(source.mirrorName, source.evidenceUrl || null)).join(", ");
  return row.checks
    .map((check) =>
      [
        advisory,
        escapeMarkdownCell(row.severity ?? "—"),
        formatDate(row.issuedAt),
        escapeMarkdownCell(row.mirrorName),
        row.status,
        code(check.package),
        describeExpected(check.expected, check.checkedUrl),
        check.newestFound ? `${code(check.newestFound.nevra)}` : "none",
        check.lastCheckedAt ? formatInstant(check.lastCheckedAt) : "never",
        elsewhere,
      ].join(" | "),
    )
    .map((line) => `| ${line} |`);
}

function formatHead(context: MarkdownReportContext): string {
  return [
    `### ${escapeMarkdownCell(context.title)}`,
    "",
    `As of ${formatInstant(context.now)}, from [srcwatch](${context.reportUrl}).`,
    "",
    `| ${HEADER.join(" | ")} |`,
    `|${HEADER.map(() => "---").join("|")}|`,
    "",
  ].join("\n");
}

export function formatMissingReportMarkdown(rows: readonly MissingReportRow[], context: MarkdownReportContext): string {
  const lines = rows.flatMap((row) => formatRowLines(row, context.origin));
  return `${formatHead(context)}${lines.map((line) => `${line}\n`).join("")}\n${describeCount(rows.length)}\n`;
}

function describeCount(rowCount: number): string {
  return rowCount === 0
    ? "Nothing is delayed or missing in this scope."
    : `${rowCount} ${rowCount === 1 ? "update" : "updates"} (advisory × mirror).`;
}

/** The same document, a part per batch of rows (a report of any size); returns how many rows it wrote. */
export async function* generateMissingReportMarkdown(
  batches: AsyncIterable<readonly MissingReportRow[]>,
  context: MarkdownReportContext,
): AsyncGenerator<string, { rowCount: number }, undefined> {
  yield formatHead(context);
  let rowCount = 0;
  for await (const rows of batches) {
    rowCount += rows.length;
    const lines = rows.flatMap((row) => formatRowLines(row, context.origin));
    if (lines.length > 0) yield lines.map((line) => `${line}\n`).join("");
  }
  yield `\n${describeCount(rowCount)}\n`;
  return { rowCount };
}
