import "server-only";

import { formatAgeDays, formatLagHours } from "../../core/format/format-report-numbers";
import { formatInstant } from "../../core/format/format-instant";
import type { MissingReportRow } from "../../contract/missing-report-dto";

// OWASP CSV injection: a spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

export function neutraliseFormula(cell: string): string {
  return cell.length > 0 && FORMULA_TRIGGERS.has(cell[0]) ? `'${cell}` : cell;
}

function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** RFC 4180: CRLF line ends, quoted cells where needed, every cell safe to open in a spreadsheet. */
export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return formatCsvLines([header, ...rows]);
}

/** Lines of a CSV, each ending with CRLF: a file is its header's lines followed by its rows' lines, in any number of parts. */
function formatCsvLines(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map((cell) => quoteCell(neutraliseFormula(cell))).join(",") + "\r\n").join("");
}

export function describeAvailableFrom(row: MissingReportRow): string {
  return row.availableFrom.map((source) => source.mirrorName).join("; ");
}

/** One entry per "Available from" mirror, in the same order, separated alike: "6.0; " when the second has no lag. */
function listPerSource(row: MissingReportRow, format: (source: MissingReportRow["availableFrom"][number]) => string): string {
  return row.availableFrom.map(format).join("; ");
}

/** The columns of the missing-update report, shared by the page's table and the CSV export. */
export const MISSING_REPORT_COLUMNS: readonly { header: string; format: (row: MissingReportRow) => string }[] = [
  { header: "Advisory", format: (row) => row.advisoryId },
  { header: "Issued", format: (row) => formatInstant(row.issuedAt) },
  { header: "Age (days)", format: (row) => formatAgeDays(row.ageSeconds) },
  { header: "Severity", format: (row) => row.severity ?? "" },
  { header: "Type", format: (row) => row.type },
  { header: "Mirror", format: (row) => row.mirrorName },
  { header: "Status", format: (row) => row.status },
  { header: "RHEL", format: (row) => row.majors.join(" ") },
  { header: "Packages", format: (row) => row.packages.join(" ") },
  // Per package, in the Packages column's order, separated by "; ": what the mirror should show, and what it does.
  { header: "Expected there", format: (row) => row.checks.map((check) => check.expected).join("; ") },
  { header: "Checked at", format: (row) => [...new Set(row.checks.map((check) => check.checkedUrl))].join(" ") },
  {
    header: "Last checked",
    format: (row) => row.checks.map((check) => (check.lastCheckedAt ? formatInstant(check.lastCheckedAt) : "never")).join("; "),
  },
  { header: "Newest found there", format: (row) => row.checks.map((check) => check.newestFound?.nevra ?? "none").join("; ") },
  { header: "Available from", format: describeAvailableFrom },
  // The lag there and where its time came from: a first_seen lag is an upper bound, a before_tracking one is empty (no lag).
  { header: "Lag there (hours)", format: (row) => listPerSource(row, (source) => formatLagHours(source.lagSeconds)) },
  { header: "Lag time origin", format: (row) => listPerSource(row, (source) => source.lagTimeOrigin ?? "") },
  {
    header: "Evidence",
    format: (row) =>
      row.availableFrom
        .map((source) => source.evidenceUrl)
        .filter(Boolean)
        .join(" "),
  },
];

function formatMissingReportHeader(): string {
  return formatCsvLines([MISSING_REPORT_COLUMNS.map((column) => column.header)]);
}

function formatMissingReportLines(rows: readonly MissingReportRow[]): string {
  return formatCsvLines(rows.map((row) => MISSING_REPORT_COLUMNS.map((column) => column.format(row))));
}

export function formatMissingReportCsv(rows: readonly MissingReportRow[]): string {
  return formatMissingReportHeader() + formatMissingReportLines(rows);
}

/** The same file as formatMissingReportCsv, a part per batch of rows (an export of any size); returns how many rows it wrote. */
export async function* generateMissingReportCsv(
  batches: AsyncIterable<readonly MissingReportRow[]>,
): AsyncGenerator<string, { rowCount: number }, undefined> {
  yield formatMissingReportHeader();
  let rowCount = 0;
  for await (const rows of batches) {
    rowCount += rows.length;
    if (rows.length > 0) yield formatMissingReportLines(rows);
  }
  return { rowCount };
}
