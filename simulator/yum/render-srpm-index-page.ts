import { escapeHtml } from "../http-responses";

export interface SrpmIndexRow {
  fileName: string;
  modifiedAt: Date;
  sizeBytes: number;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)}K`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)}M`;
}

/** `2023-06-20 14:03`: Apache autoindex's time column (the server runs on UTC). */
function formatModifiedAt(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}

/** A directory listing as Apache's mod_autoindex (FancyIndexing, HTMLTable) renders it, sorted by name. */
export function renderSrpmIndexPage(directoryPath: string, rows: SrpmIndexRow[]): string {
  const title = `Index of ${escapeHtml(directoryPath.replace(/\/$/, ""))}`;
  const parent = directoryPath.replace(/[^/]+\/?$/, "");
  const lines = [...rows]
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))
    .map((row) => {
      const href = encodeURIComponent(row.fileName).replace(/%2B/g, "%2b");
      return `<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="${href}">${escapeHtml(row.fileName)}</a></td><td align="right">${formatModifiedAt(row.modifiedAt)}  </td><td align="right">${formatSize(row.sizeBytes)}</td><td>&nbsp;</td></tr>`;
    });
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html>
 <head>
  <title>${title}</title>
 </head>
 <body>
<h1>${title}</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="${escapeHtml(parent)}">Parent Directory</a>       </td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
${lines.join("\n")}
   <tr><th colspan="5"><hr></th></tr>
</table>
</body></html>
`;
}
