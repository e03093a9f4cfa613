import "server-only";

import { safeDecodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { silenceMatches } from "../../core/alerts/evaluate-alert-rules";
import { ALERT_KIND_LABELS, ALERT_KINDS, type AlertDetails, type AlertKind } from "../../core/alerts/types";
import { listActiveSilences, type ParsedSilence } from "../alerts/list-silences";
import { getConfig } from "../config/get-config";
import { getDb, type Db } from "../db/client";
import type { AlertDetailsDto, AlertListQuery, AlertListResponse, AlertSummaryDto } from "../../contract/alert-dto";
import { readPartialStop } from "./read-partial-stop";
import { listPublishedElsewhere, summarizeAlert } from "../../core/alerts/summarize-alert";

type AlertRow = Awaited<ReturnType<Db["alert"]["findMany"]>>[number];
type AlertWhere = NonNullable<NonNullable<Parameters<Db["alert"]["findMany"]>[0]>["where"]>;

export function toAlertDetailsDto(details: AlertDetails, row: Pick<AlertRow, "mirrorId" | "major">): AlertDetailsDto {
  return {
    mirrorId: details.mirrorId || row.mirrorId,
    mirrorName: details.mirrorName || row.mirrorId,
    major: row.major,
    items: details.items,
    stop: details.stop ?? null,
    partialStop: readPartialStop(details.partialStop),
    stale: details.stale ?? null,
    publishedElsewhere: listPublishedElsewhere(details.items),
  };
}

/** Active silences that keep this alert quiet now; a resolved alert has none. */
export function findMatchingSilences(
  row: Pick<AlertRow, "status" | "mirrorId" | "kind" | "major">,
  silences: readonly ParsedSilence[],
): ParsedSilence[] {
  if (row.status !== "firing") return [];
  return silences.filter((silence) =>
    silenceMatches(silence.matchers, { mirrorId: row.mirrorId, kind: row.kind as AlertKind, major: row.major }),
  );
}

export function buildAlertUrl(id: number): string {
  return `${getConfig().notifications.publicUrl.replace(/\/+$/, "")}/alerts/${id}`;
}

export function toAlertSummaryDto(row: AlertRow, input: { details: AlertDetails; isSilenced: boolean }): AlertSummaryDto {
  const kind = (ALERT_KINDS as readonly string[]).includes(row.kind) ? (row.kind as AlertKind) : "update_missing";
  const mirrorName = getConfig().mirrors.find((mirror) => mirror.id === row.mirrorId)?.name ?? (input.details.mirrorName || row.mirrorId);
  return {
    id: row.id,
    kind,
    kindLabel: ALERT_KIND_LABELS[kind],
    mirrorId: row.mirrorId,
    mirrorName,
    major: row.major,
    status: row.status === "firing" ? "firing" : "resolved",
    severity: row.severity,
    summary: summarizeAlert({ kind, mirrorName, major: row.major }, input.details) ?? row.summary,
    startsAt: row.startsAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    lastChangedAt: row.lastChangedAt.toISOString(),
    inhibitedById: row.inhibitedById,
    silenced: input.isSilenced,
    itemCount: input.details.items.length,
    url: buildAlertUrl(row.id),
  };
}

function buildWhere(query: Omit<AlertListQuery, "page" | "pageSize" | "status">): AlertWhere {
  const conditions: AlertWhere[] = [];
  if (query.mirror) conditions.push({ mirrorId: { in: query.mirror } });
  if (query.kind) conditions.push({ kind: { in: query.kind } });
  if (query.major) conditions.push({ OR: [{ major: { in: query.major } }, { major: null }] });
  if (query.until) conditions.push({ startsAt: { lte: new Date(query.until) } });
  if (query.since) conditions.push({ OR: [{ status: "firing" }, { resolvedAt: { gte: new Date(query.since) } }] });
  return { AND: conditions };
}

/**
 * Alerts matching the filters, firing ones first — those that notify before those folded into a stop — then mirror-wide
 * kinds before per-update ones, then newest first. A mirror page showing five must not hide its stop behind the folded
 * ones, nor behind a newer one-update "delayed". (The kinds' names sort that way: mirror_stale, partial_stop,
 * publishing_stopped before update_delayed, update_missing; test/integration/alerts-api.test.ts holds them to it.)
 */
export async function listAlerts(query: AlertListQuery, input: { now: Date }): Promise<AlertListResponse> {
  const db = getDb();
  const base = buildWhere(query);
  const where: AlertWhere = query.status === "all" ? base : { AND: [base, { status: query.status }] };
  const [rows, total, firingCount, silences] = await Promise.all([
    db.alert.findMany({
      where,
      // "firing" sorts before "resolved". What matters first: alerts that notify (not folded into a stop) before folded
      // ones, mirror-wide kinds (mirror_stale, partial_stop, publishing_stopped) before per-update ones — the overview's
      // strip and a mirror page name only the first few.
      orderBy:
        query.status === "firing"
          ? [{ inhibitedById: { sort: "asc", nulls: "first" } }, { kind: "asc" }, { startsAt: "desc" }, { id: "desc" }]
          : [{ status: "asc" }, { inhibitedById: { sort: "asc", nulls: "first" } }, { kind: "asc" }, { startsAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.alert.count({ where }),
    db.alert.count({ where: { AND: [base, { status: "firing" }] } }),
    listActiveSilences(db, input.now),
  ]);
  return {
    now: input.now.toISOString(),
    items: rows.map((row) =>
      toAlertSummaryDto(row, { details: safeDecodeAlertDetails(row.details), isSilenced: findMatchingSilences(row, silences).length > 0 }),
    ),
    page: query.page,
    pageSize: query.pageSize,
    total,
    firingCount,
  };
}
