import { alertDedupeKey, type AlertDetails, type AlertEventType, type AlertItem, type AlertKind } from "../../core/alerts/types";
import type { Db } from "../../server/db/client";

const HOUR_MS = 3_600_000;

export interface AlertFixture {
  id?: number;
  kind: AlertKind;
  mirrorId: string;
  mirrorName?: string;
  major: number | null;
  status: "firing" | "resolved";
  startsAt: Date;
  resolvedAt?: Date | null;
  severity?: string | null;
  summary?: string;
  items?: AlertItem[];
  stop?: AlertDetails["stop"];
  partialStop?: AlertDetails["partialStop"];
  stale?: AlertDetails["stale"];
  inhibitedById?: number | null;
  events?: { type: AlertEventType; at: Date; notified?: boolean; quietReason?: string | null; added?: string[]; removed?: string[] }[];
}

/** One alert item: an advisory with one missing package, released `ageHours` before `at`. */
export function alertItem(
  advisoryId: string,
  input: { at: Date; ageHours: number; major?: number; title?: string; severity?: string; packageName?: string },
): AlertItem {
  const issuedAt = new Date(input.at.getTime() - input.ageHours * HOUR_MS).toISOString();
  const name = input.packageName ?? "bash";
  return {
    advisoryId,
    advisoryUrl: `https://access.redhat.com/errata/${advisoryId}`,
    severity: input.severity ?? "Important",
    title: input.title ?? `Important: ${name} security update`,
    issuedAt,
    major: input.major ?? 8,
    packages: [{ name, nevra: `${name}-0:4.4.20-4.el8_6`, status: "missing", since: issuedAt }],
    ageHours: input.ageHours,
  };
}

/** Alert and AlertEvent rows written directly, as the alert engine would have. Returns the alert id. */
export async function insertAlert(db: Db, fixture: AlertFixture): Promise<number> {
  const details: AlertDetails = {
    mirrorId: fixture.mirrorId,
    mirrorName: fixture.mirrorName ?? fixture.mirrorId,
    major: fixture.major,
    items: fixture.items ?? [],
    ...(fixture.stop ? { stop: fixture.stop } : {}),
    ...(fixture.partialStop ? { partialStop: fixture.partialStop } : {}),
    ...(fixture.stale ? { stale: fixture.stale } : {}),
  };
  const dedupeKey = alertDedupeKey(fixture.kind, fixture.mirrorId, fixture.major);
  const events = fixture.events ?? [
    { type: "fired" as const, at: fixture.startsAt },
    ...(fixture.status === "resolved" ? [{ type: "resolved" as const, at: fixture.resolvedAt ?? fixture.startsAt }] : []),
  ];
  const lastChangedAt = events.reduce((latest, event) => (event.at > latest ? event.at : latest), fixture.startsAt);
  const alert = await db.alert.create({
    data: {
      ...(fixture.id === undefined ? {} : { id: fixture.id }),
      dedupeKey,
      firingKey: fixture.status === "firing" ? dedupeKey : null,
      kind: fixture.kind,
      mirrorId: fixture.mirrorId,
      major: fixture.major,
      status: fixture.status,
      severity: fixture.severity ?? null,
      summary: fixture.summary ?? `${fixture.mirrorName ?? fixture.mirrorId}: ${fixture.kind} RHEL ${fixture.major ?? "all"}`,
      details: JSON.stringify(details),
      startsAt: fixture.startsAt,
      resolvedAt: fixture.status === "resolved" ? (fixture.resolvedAt ?? lastChangedAt) : null,
      lastChangedAt,
      inhibitedById: fixture.inhibitedById ?? null,
    },
  });
  for (const event of events) {
    await db.alertEvent.create({
      data: {
        alertId: alert.id,
        type: event.type,
        at: event.at,
        details: JSON.stringify({
          ...details,
          ...(event.added ? { added: event.added } : {}),
          ...(event.removed ? { removed: event.removed } : {}),
        }),
        notified: event.notified ?? true,
        quietReason: event.quietReason ?? null,
      },
    });
  }
  return alert.id;
}

/**
 * The alerts the API examples refer to, besides whatever the alert engine fired on the polled data: a resolved stop
 * (with the example id) that had folded a missing-updates alert into it (resolved, so no firing key can clash), and a silence.
 */
export async function insertContractAlerts(db: Db, input: { exampleAlertId: number; exampleSilenceId: number; now: Date }): Promise<void> {
  const at = (hoursAgo: number) => new Date(input.now.getTime() - hoursAgo * HOUR_MS);
  const items = [
    alertItem("RHSA-2023:3425", { at: at(300), ageHours: 60 }),
    alertItem("RHSA-2023:3426", { at: at(300), ageHours: 30, packageName: "cups-filters" }),
  ];
  const stopId = await insertAlert(db, {
    id: input.exampleAlertId,
    kind: "publishing_stopped",
    mirrorId: "git.centos.org",
    major: 8,
    status: "resolved",
    startsAt: at(320),
    resolvedAt: at(280),
    severity: "Important",
    summary: "git.centos.org stopped publishing RHEL 8: 2 updates released since its last publication",
    items,
    stop: {
      lastPublishedAt: at(400).toISOString(),
      normalLagHours: 12,
      normalLagSource: "learned",
      percentile: 95,
      historySize: 31,
      releasedSinceCount: 2,
      overdueSinceCount: 2,
    },
  });
  await insertAlert(db, {
    kind: "update_missing",
    mirrorId: "git.centos.org",
    major: 8,
    status: "resolved",
    startsAt: at(330),
    resolvedAt: at(280),
    items: items.slice(0, 1),
    inhibitedById: stopId,
    events: [
      { type: "fired", at: at(330) },
      { type: "inhibited", at: at(320), notified: false, quietReason: "inhibited" },
      { type: "resolved", at: at(280), notified: true },
    ],
  });
  await db.silence.create({
    data: {
      id: input.exampleSilenceId,
      matchers: JSON.stringify({ mirrorId: "git.centos.org", major: 9 }),
      startsAt: at(2),
      endsAt: at(-48),
      author: "ops",
      comment: "RHEL 9 imports paused for the mass rebuild",
      createdAt: at(2),
    },
  });
}
