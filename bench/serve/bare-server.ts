// node --import tsx bench/serve/bare-server.ts --database FILE --config FILE --port N
// The serving benchmark's floor: node:http + better-sqlite3 on the same file, no framework. For each URL the bench
// asks, it runs the SQL the page's server/read functions run (the same rows, counts and joins) and answers JSON, CSV
// or a minimal HTML of the same data. Nothing else: no validation, no ETag, no React. Prints "ready" when listening.
import { readFileSync } from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

interface MirrorSettings {
  id: string;
  name: string;
  majors: number[];
  staleAfterMinutes?: number;
}

const STATUS_RANK: Record<string, number> = { missing: 6, delayed: 5, pending: 4, unknown: 3, published: 2, not_applicable: 1 };
const STATUS_BY_RANK = Object.fromEntries(Object.entries(STATUS_RANK).map(([status, rank]) => [rank, status]));
/** server/read/list-mirror-major-stats.ts LAG_SAMPLE_SIZE: the median lag is of the newest published Updates. */
const LAG_SAMPLE_SIZE = 500;
const REPORT_SCOPE = `FROM "MirrorUpdate" u WHERE u."overdueIssuedAt" IS NOT NULL`;
const CSV_MAX_ROWS = 50_000;

const { values } = parseArgs({
  options: { database: { type: "string" }, config: { type: "string" }, port: { type: "string", default: "0" } },
  strict: true,
});
if (!values.database || !values.config) throw new Error("usage: --database FILE --config FILE --port N");
const mirrors = (JSON.parse(readFileSync(values.config, "utf8")) as { mirrors: MirrorSettings[] }).mirrors;
const db = new Database(values.database, { readonly: true });

const statements = {
  updateCounts: db.prepare(`SELECT "mirrorId", "major", "status", "count", "beforeTracking" FROM "MirrorUpdateCount" WHERE "count" > 0`),
  newestLags: db.prepare(`SELECT "lagSeconds" FROM "MirrorUpdate"
    WHERE "mirrorId" = ? AND "major" = ? AND "status" = 'published' AND "isPublishedBeforeTracking" = 0 AND "lagSeconds" IS NOT NULL
    ORDER BY "publishedAt" DESC LIMIT ?`),
  sourceStates: db.prepare(`SELECT * FROM "SourceState"`),
  advisoryCount: db.prepare(`SELECT COUNT(*) AS "count" FROM "Advisory"`),
  advisoryPage: db.prepare(`SELECT * FROM "Advisory" ORDER BY "issuedAt" DESC, "id" DESC LIMIT ? OFFSET ?`),
  advisory: db.prepare(`SELECT * FROM "Advisory" WHERE "id" = ?`),
  packagesOf: db.prepare(
    `SELECT * FROM "Package" WHERE "advisoryId" IN (SELECT value FROM json_each(?)) ORDER BY "major", "stream", "name"`,
  ),
  listVerdictsOf: db.prepare(`SELECT v."packageId", v."mirrorId", v."status", v."statusReason", v."lagSeconds", v."lagTimeOrigin",
      e."firstSeenAt" AS "evidenceFirstSeenAt", e."lastAbsentAt" AS "evidenceLastAbsentAt", l."firstSeenAt" AS "lagFirstSeenAt", l."lastAbsentAt" AS "lagLastAbsentAt"
    FROM "Verdict" v LEFT JOIN "Evidence" e ON e."id" = v."evidenceId" LEFT JOIN "Evidence" l ON l."id" = v."lagEvidenceId"
    WHERE v."packageId" IN (SELECT value FROM json_each(?))`),
  detailVerdictsOf:
    db.prepare(`SELECT v.*, e."name" AS "evidenceName", e."version" AS "evidenceVersion", e."release" AS "evidenceRelease", e."ref" AS "evidenceRef",
      e."url" AS "evidenceUrl", e."firstSeenAt" AS "evidenceFirstSeenAt", e."publishedAt" AS "evidencePublishedAt", e."publishedAtOrigin" AS "evidenceOrigin",
      l."ref" AS "lagRef", l."url" AS "lagUrl", l."firstSeenAt" AS "lagFirstSeenAt", l."lastAbsentAt" AS "lagLastAbsentAt"
    FROM "Verdict" v LEFT JOIN "Evidence" e ON e."id" = v."evidenceId" LEFT JOIN "Evidence" l ON l."id" = v."lagEvidenceId"
    WHERE v."packageId" IN (SELECT value FROM json_each(?))`),
  firingAlerts: db.prepare(
    `SELECT * FROM "Alert" WHERE "status" = 'firing' ORDER BY "inhibitedById" IS NOT NULL, "inhibitedById", "kind", "startsAt" DESC, "id" DESC LIMIT ?`,
  ),
  firingCount: db.prepare(`SELECT COUNT(*) AS "count" FROM "Alert" WHERE "status" = 'firing'`),
  activeSilences: db.prepare(`SELECT * FROM "Silence" WHERE "startsAt" <= ? AND "endsAt" > ?`),
  // As server/read/get-missing-report.ts: a row is an advisory × mirror with a delayed or missing Update, read from
  // MirrorUpdate's (overdueIssuedAt, advisoryId, mirrorId) index in the report's order.
  reportCount: db.prepare(
    `SELECT COUNT(*) AS "total" FROM (SELECT 1 ${REPORT_SCOPE} GROUP BY u."overdueIssuedAt", u."advisoryId", u."mirrorId") t`,
  ),
  reportGroups:
    db.prepare(`SELECT u."advisoryId" AS "advisoryId", u."overdueIssuedAt" AS "issuedAt", u."mirrorId" AS "mirrorId" ${REPORT_SCOPE}
    GROUP BY u."overdueIssuedAt", u."advisoryId", u."mirrorId" ORDER BY u."overdueIssuedAt" ASC, u."advisoryId" ASC, u."mirrorId" ASC LIMIT ? OFFSET ?`),
  reportVerdicts:
    db.prepare(`SELECT v."packageId", v."mirrorId", v."status", v."since", p."advisoryId", p."name", p."epoch", p."version", p."release", p."major"
    FROM "Verdict" v JOIN "Package" p ON p."id" = v."packageId"
    WHERE v."status" IN ('delayed','missing') AND v."mirrorId" IN (SELECT value FROM json_each(?)) AND p."advisoryId" IN (SELECT value FROM json_each(?))
    ORDER BY p."major", p."name"`),
  reportAdvisories: db.prepare(
    `SELECT "id", "type", "severity", "title", "issuedAt" FROM "Advisory" WHERE "id" IN (SELECT value FROM json_each(?))`,
  ),
  publishedOf: db.prepare(`SELECT v."packageId", v."mirrorId", v."lagSeconds", v."lagTimeOrigin", e."url" AS "evidenceUrl"
    FROM "Verdict" v LEFT JOIN "Evidence" e ON e."id" = v."evidenceId"
    WHERE v."status" = 'published' AND v."packageId" IN (SELECT value FROM json_each(?))`),
};

type Row = Record<string, unknown>;
const all = (statement: Database.Statement, ...args: unknown[]) => statement.all(...args) as Row[];
const instant = (stored: unknown) => (stored === null || stored === undefined ? null : new Date(String(stored)).toISOString());
const escapeHtml = (text: unknown) =>
  String(text ?? "").replace(/[&<>"]/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[character]!);
function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
const nevra = (row: Row) => `${row.name}-${row.epoch ? `${row.epoch}:` : ""}${row.version}-${row.release}`;

function listSources(now: Date) {
  const states = all(statements.sourceStates);
  const stateById = new Map(states.map((state) => [state.sourceId, state]));
  return mirrors.map((mirror) => {
    const state = stateById.get(mirror.id);
    const lastSuccessAt = state?.lastSuccessAt ? new Date(String(state.lastSuccessAt)) : null;
    const isStale = !lastSuccessAt || now.getTime() - lastSuccessAt.getTime() > (mirror.staleAfterMinutes ?? 360) * 60_000;
    return {
      id: mirror.id,
      name: mirror.name,
      majors: mirror.majors,
      health: isStale ? "stale" : "ok",
      lastSuccessAt: instant(state?.lastSuccessAt),
    };
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
}

/** As server/read/list-mirror-major-stats.ts: Updates per status from the counters, lags of the newest published Updates. */
function readSummary(now: Date) {
  const counts = new Map<string, Record<string, number>>();
  const lags = new Map<string, number[]>();
  const beforeTracking = new Map<string, number>();
  for (const row of all(statements.updateCounts)) {
    const key = `${row.mirrorId}/${row.major}`;
    const entry = counts.get(key) ?? Object.fromEntries(Object.keys(STATUS_RANK).map((status) => [status, 0]));
    entry[String(row.status)] += Number(row.count);
    counts.set(key, entry);
    if (Number(row.beforeTracking) > 0) beforeTracking.set(key, Number(row.beforeTracking));
    if (row.status === "published" && Number(row.count) > Number(row.beforeTracking)) {
      lags.set(
        key,
        all(statements.newestLags, row.mirrorId, row.major, LAG_SAMPLE_SIZE).map((lag) => Number(lag.lagSeconds)),
      );
    }
  }
  const sources = listSources(now);
  const rows = sources.flatMap((source) => {
    const majorsWithData = [...counts.entries()]
      .filter(
        ([key, entry]) =>
          key.startsWith(`${source.id}/`) && Object.entries(entry).some(([status, count]) => status !== "not_applicable" && count > 0),
      )
      .map(([key]) => Number(key.slice(source.id.length + 1)));
    return [...new Set([...source.majors, ...majorsWithData])]
      .sort((a, b) => a - b)
      .map((major) => {
        const key = `${source.id}/${major}`;
        return {
          mirrorId: source.id,
          mirrorName: source.name,
          major,
          counts: counts.get(key) ?? {},
          medianLagSeconds: median(lags.get(key) ?? []),
          beforeTrackingCount: beforeTracking.get(key) ?? 0,
          health: source.health,
        };
      });
  });
  return { now: now.toISOString(), rows, progress: [], advisoryCount: Number(all(statements.advisoryCount)[0].count) };
}

function listAdvisories(now: Date, page: number, pageSize: number) {
  const advisories = all(statements.advisoryPage, pageSize, (page - 1) * pageSize);
  const packages = all(statements.packagesOf, JSON.stringify(advisories.map((advisory) => advisory.id)));
  const verdicts = all(statements.listVerdictsOf, JSON.stringify(packages.map((pkg) => pkg.id)));
  const verdictsByPackage = groupBy(verdicts, (verdict) => verdict.packageId);
  const packagesByAdvisory = groupBy(packages, (pkg) => pkg.advisoryId);
  const items = advisories.map((advisory) => {
    const own = packagesByAdvisory.get(advisory.id) ?? [];
    const statuses = mirrors.flatMap((mirror) => {
      const onMirror = own.flatMap((pkg) => (verdictsByPackage.get(pkg.id) ?? []).filter((verdict) => verdict.mirrorId === mirror.id));
      if (onMirror.length === 0) return [];
      const rank = Math.max(...onMirror.map((verdict) => STATUS_RANK[String(verdict.status)]));
      const published = onMirror.filter((verdict) => verdict.status === "published");
      const lagSeconds = published.some((verdict) => verdict.lagSeconds === null)
        ? null
        : published.reduce<number | null>((slowest, verdict) => Math.max(slowest ?? 0, Number(verdict.lagSeconds)), null);
      const statusReason = onMirror.find((verdict) => STATUS_RANK[String(verdict.status)] === rank)?.statusReason ?? null;
      return [
        { mirrorId: mirror.id, status: STATUS_BY_RANK[rank], statusReason, lagSeconds, lagTimeOrigin: published[0]?.lagTimeOrigin ?? null },
      ];
    });
    return {
      id: advisory.id,
      type: advisory.type,
      severity: advisory.severity,
      title: advisory.title,
      issuedAt: instant(advisory.issuedAt),
      url: advisory.url,
      majors: [...new Set(own.map((pkg) => pkg.major))],
      packages: own.map(nevra),
      statuses,
    };
  });
  const total = Number(all(statements.advisoryCount)[0].count);
  return { now: now.toISOString(), items, page, pageSize, total, mirrors: mirrors.map(({ id, name }) => ({ id, name })) };
}

function getAdvisory(now: Date, id: string) {
  const advisory = statements.advisory.get(id.trim().toUpperCase()) as Row | undefined;
  if (!advisory) return null;
  const packages = all(statements.packagesOf, JSON.stringify([advisory.id]));
  const verdictsByPackage = groupBy(
    all(statements.detailVerdictsOf, JSON.stringify(packages.map((pkg) => pkg.id))),
    (verdict) => verdict.packageId,
  );
  const mirrorRank = (mirrorId: unknown) => mirrors.findIndex((mirror) => mirror.id === mirrorId);
  return {
    now: now.toISOString(),
    advisory: {
      id: String(advisory.id),
      type: advisory.type,
      severity: advisory.severity,
      title: advisory.title,
      url: advisory.url,
      issuedAt: instant(advisory.issuedAt),
      updatedAt: instant(advisory.updatedAt),
      cves: String(advisory.cves).split(" ").filter(Boolean),
    },
    packages: packages.map((pkg) => ({
      nevra: nevra(pkg),
      major: pkg.major,
      stream: pkg.stream,
      verdicts: (verdictsByPackage.get(pkg.id) ?? [])
        .sort((a, b) => mirrorRank(a.mirrorId) - mirrorRank(b.mirrorId))
        .map((verdict) => ({
          mirrorId: verdict.mirrorId,
          status: verdict.status,
          statusReason: verdict.statusReason,
          lagSeconds: verdict.lagSeconds,
          publishedAt: instant(verdict.publishedAt),
          lagTimeOrigin: verdict.lagTimeOrigin,
          since: instant(verdict.since),
          match: verdict.matchOutcome ? { outcome: verdict.matchOutcome, reason: verdict.matchReason } : null,
          evidence: verdict.evidenceRef
            ? {
                ref: verdict.evidenceRef,
                url: verdict.evidenceUrl,
                firstSeenAt: instant(verdict.evidenceFirstSeenAt),
                publishedAt: instant(verdict.evidencePublishedAt),
              }
            : null,
          lagEvidence: verdict.lagRef && verdict.lagRef !== verdict.evidenceRef ? { ref: verdict.lagRef, url: verdict.lagUrl } : null,
        })),
    })),
  };
}

function getMissingReport(now: Date, page: number, pageSize: number) {
  const total = Number(all(statements.reportCount)[0].total);
  const groups = all(statements.reportGroups, pageSize, (page - 1) * pageSize);
  const advisoryIds = JSON.stringify([...new Set(groups.map((group) => group.advisoryId))]);
  const verdicts = all(statements.reportVerdicts, JSON.stringify([...new Set(groups.map((group) => group.mirrorId))]), advisoryIds);
  const advisoryById = new Map(all(statements.reportAdvisories, advisoryIds).map((advisory) => [advisory.id, advisory]));
  const publishedByPackage = groupBy(
    all(statements.publishedOf, JSON.stringify([...new Set(verdicts.map((verdict) => verdict.packageId))])),
    (row) => row.packageId,
  );
  const verdictsByGroup = groupBy(verdicts, (verdict) => `${verdict.advisoryId}\u0000${verdict.mirrorId}`);
  const rows = groups.flatMap((group) => {
    const advisory = advisoryById.get(group.advisoryId);
    const own = verdictsByGroup.get(`${group.advisoryId}\u0000${group.mirrorId}`) ?? [];
    if (!advisory || own.length === 0) return [];
    const availableFrom = mirrors.flatMap((mirror) => {
      if (mirror.id === group.mirrorId) return [];
      const found = own.flatMap((verdict) =>
        (publishedByPackage.get(verdict.packageId) ?? []).filter((entry) => entry.mirrorId === mirror.id),
      );
      if (found.length === 0) return [];
      const lagSeconds = found.some((entry) => entry.lagSeconds === null)
        ? null
        : Math.max(...found.map((entry) => Number(entry.lagSeconds)));
      return [
        {
          mirrorId: mirror.id,
          mirrorName: mirror.name,
          publishedPackages: found.length,
          evidenceUrl: found[0].evidenceUrl ?? "",
          lagSeconds,
        },
      ];
    });
    const issuedAt = new Date(String(advisory.issuedAt));
    return [
      {
        advisoryId: advisory.id,
        type: advisory.type,
        severity: advisory.severity,
        title: advisory.title,
        issuedAt: issuedAt.toISOString(),
        ageSeconds: Math.round((now.getTime() - issuedAt.getTime()) / 1000),
        mirrorId: group.mirrorId,
        status: own.some((verdict) => verdict.status === "missing") ? "missing" : "delayed",
        since: instant(own.map((verdict) => String(verdict.since)).sort()[0]),
        majors: [...new Set(own.map((verdict) => verdict.major))],
        packages: [...new Set(own.map(nevra))],
        availableFrom,
      },
    ];
  });
  return { now: now.toISOString(), total, page, pageSize, rows };
}

function listFiringAlerts(now: Date) {
  const at = now.toISOString().replace("Z", "+00:00");
  return {
    items: all(statements.firingAlerts, 5),
    firingCount: Number(all(statements.firingCount)[0].count),
    silences: all(statements.activeSilences, at, at),
  };
}

function csvCell(cell: unknown): string {
  const text = String(cell ?? "");
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

function tableOf(headers: string[], rows: unknown[][]): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

function renderAdvisoryRows(list: ReturnType<typeof listAdvisories>): string {
  return tableOf(
    ["Advisory", "Issued", "Packages", ...list.mirrors.map((mirror) => mirror.name)],
    list.items.map((item) => [
      item.id,
      item.issuedAt,
      item.packages.join(" "),
      ...list.mirrors.map((mirror) => item.statuses.find((status) => status.mirrorId === mirror.id)?.status ?? ""),
    ]),
  );
}

type Answer = { status: number; type: string; body: string };
const json = (value: unknown): Answer => ({ status: 200, type: "application/json", body: JSON.stringify(value) });
const html = (title: string, body: string): Answer => ({ status: 200, type: "text/html; charset=utf-8", body: page(title, body) });

function answer(url: URL): Answer {
  const now = new Date();
  const path = url.pathname;
  if (path === "/api/v1/summary") return json(readSummary(now));
  if (path === "/api/v1/advisories") return json(listAdvisories(now, 1, 50));
  if (path === "/api/v1/reports/missing.csv") {
    const report = getMissingReport(now, 1, CSV_MAX_ROWS);
    const header = [
      "Advisory",
      "Issued",
      "Age (days)",
      "Severity",
      "Type",
      "Mirror",
      "Status",
      "RHEL",
      "Packages",
      "Available from",
      "Lag there (hours)",
      "Evidence",
    ];
    const lines = report.rows.map((row) =>
      [
        row.advisoryId,
        row.issuedAt,
        (row.ageSeconds / 86_400).toFixed(1),
        row.severity,
        row.type,
        row.mirrorId,
        row.status,
        row.majors.join(" "),
        row.packages.join(" "),
        row.availableFrom.map((source) => source.mirrorName).join("; "),
        row.availableFrom.map((source) => (source.lagSeconds === null ? "" : (source.lagSeconds / 3600).toFixed(1))).join("; "),
        row.availableFrom.map((source) => source.evidenceUrl).join(" "),
      ]
        .map(csvCell)
        .join(","),
    );
    return { status: 200, type: "text/csv; charset=utf-8", body: [header.join(","), ...lines].join("\r\n") + "\r\n" };
  }
  if (path === "/") {
    const summary = readSummary(now);
    const alerts = listFiringAlerts(now);
    const sources = listSources(now);
    return html(
      "Overview",
      `<ul>${alerts.items.map((alert) => `<li>${escapeHtml(alert.summary)}</li>`).join("")}</ul><p>${alerts.firingCount} firing</p>` +
        `<ul>${sources.map((source) => `<li>${escapeHtml(source.name)}: ${source.health}, ${source.lastSuccessAt}</li>`).join("")}</ul>` +
        tableOf(
          ["Mirror", "RHEL", ...Object.keys(STATUS_RANK), "Median lag (s)"],
          summary.rows.map((row) => [
            row.mirrorName,
            row.major,
            ...Object.keys(STATUS_RANK).map((status) => (row.counts as Record<string, number>)[status] ?? 0),
            row.medianLagSeconds,
          ]),
        ) +
        renderAdvisoryRows(listAdvisories(now, 1, 20)),
    );
  }
  if (path === "/updates") {
    listSources(now);
    return html("Updates", renderAdvisoryRows(listAdvisories(now, 1, 50)));
  }
  if (path.startsWith("/advisories/")) {
    const detail = getAdvisory(now, decodeURIComponent(path.slice("/advisories/".length)));
    if (!detail) return { status: 404, type: "text/plain", body: "not found" };
    return html(
      String(detail.advisory.id),
      `<h1>${escapeHtml(detail.advisory.id)}</h1><p>${escapeHtml(detail.advisory.title)}</p><p>${detail.advisory.cves.map(escapeHtml).join(" ")}</p>` +
        detail.packages
          .map(
            (pkg) =>
              `<h2>${escapeHtml(pkg.nevra)}</h2>` +
              tableOf(
                ["Mirror", "Status", "Lag (s)", "Published", "Evidence"],
                pkg.verdicts.map((verdict) => [
                  verdict.mirrorId,
                  verdict.status,
                  verdict.lagSeconds,
                  verdict.publishedAt,
                  verdict.evidence?.url ?? "",
                ]),
              ),
          )
          .join(""),
    );
  }
  if (path === "/reports/missing") {
    const report = getMissingReport(now, 1, 200);
    return html(
      "Missing-update report",
      `<p>${report.total} updates delayed or missing</p>` +
        tableOf(
          ["Advisory", "Issued", "Mirror", "Status", "RHEL", "Packages", "Available from"],
          report.rows.map((row) => [
            row.advisoryId,
            row.issuedAt,
            row.mirrorId,
            row.status,
            row.majors.join(" "),
            row.packages.join(" "),
            row.availableFrom.map((source) => source.mirrorName).join("; "),
          ]),
        ),
    );
  }
  return { status: 404, type: "text/plain", body: "not found" };
}

const server = http.createServer((request, response) => {
  try {
    const result = answer(new URL(request.url ?? "/", "http://bare"));
    response.writeHead(result.status, { "Content-Type": result.type, "Content-Length": Buffer.byteLength(result.body) });
    response.end(result.body);
  } catch (error) {
    console.error(error);
    response.writeHead(500).end();
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(values.port), "127.0.0.1", () => {
  const address = server.address();
  console.log(`ready on ${typeof address === "object" && address ? address.port : values.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
