import "server-only";

import { toSafeHref } from "../../core/check-link";
import { escapeHtml } from "./escape-html";

/** Text, or a link: the same piece renders as "text <url>" in plain text and as an anchor in HTML. */
export type MailPiece = string | { text: string; href: string };
export type MailLine = MailPiece[];

export interface MailSection {
  title?: string;
  lines: MailLine[];
  /** Render the lines as a bulleted list. */
  isList?: boolean;
  /** Smaller, grey text (footers). */
  isQuiet?: boolean;
}

/** The first `max` items, and a trailing "and N more" line when some were left out. */
export function capItems<T>(items: readonly T[], max: number, render: (item: T) => MailLine): MailLine[] {
  const lines = items.slice(0, max).map(render);
  if (items.length > max) lines.push([`… and ${items.length - max} more`]);
  return lines;
}

// Links may come from stored upstream data: anything but a plain http(s) link is rendered as its text alone.
function pieceText(piece: MailPiece): string {
  if (typeof piece === "string") return piece;
  const href = toSafeHref(piece.href);
  if (href === null) return piece.text;
  return piece.text === piece.href ? href : `${piece.text} <${href}>`;
}

function pieceHtml(piece: MailPiece): string {
  if (typeof piece === "string") return escapeHtml(piece);
  const href = toSafeHref(piece.href);
  if (href === null) return escapeHtml(piece.text);
  return `<a href="${escapeHtml(href)}" style="color:#1d4ed8">${escapeHtml(piece.text)}</a>`;
}

export function renderMailText(heading: string, sections: readonly MailSection[]): string {
  const parts = [heading, "=".repeat(Math.min(heading.length, 72))];
  for (const section of sections) {
    const block: string[] = [];
    if (section.title) block.push(section.title, "-".repeat(Math.min(section.title.length, 72)));
    for (const line of section.lines) block.push(`${section.isList ? "- " : ""}${line.map(pieceText).join("")}`);
    parts.push("", ...block);
  }
  return `${parts.join("\n")}\n`;
}

export function renderMailHtml(heading: string, sections: readonly MailSection[]): string {
  const body = sections
    .map((section) => {
      const color = section.isQuiet ? "#6b7280" : "#111827";
      const size = section.isQuiet ? "12px" : "14px";
      const title = section.title ? `<h2 style="font-size:16px;margin:20px 0 8px;color:#111827">${escapeHtml(section.title)}</h2>` : "";
      const lines = section.isList
        ? `<ul style="margin:0;padding-left:20px;color:${color};font-size:${size}">${section.lines.map((line) => `<li style="margin:2px 0">${line.map(pieceHtml).join("")}</li>`).join("")}</ul>`
        : section.lines
            .map((line) => `<p style="margin:4px 0;color:${color};font-size:${size}">${line.map(pieceHtml).join("")}</p>`)
            .join("");
      return `${title}${lines}`;
    })
    .join("\n");
  return [
    "<!doctype html>",
    '<html><body style="margin:0;padding:16px;background:#f9fafb">',
    '<div style="max-width:680px;margin:0 auto;padding:20px;background:#ffffff;border:1px solid #e5e7eb;border-radius:6px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;line-height:1.45">',
    `<h1 style="font-size:20px;margin:0 0 12px;color:#111827">${escapeHtml(heading)}</h1>`,
    body,
    "</div></body></html>",
  ].join("\n");
}
