import pino from "pino";
import type { AlertDetails, AlertEventType, AlertItem, AlertKind } from "../../core/alerts/types";
import type { SrcwatchConfig } from "../../core/config";
import { parseConfig } from "../../server/config/load-config";
import type { Db } from "../../server/db/client";
import type { Mailer } from "../../server/notifications/mailer-types";
import { enqueueAlertNotifications } from "../../server/notifications/enqueue-alert-notifications";
import { createDefaultHttpClientFactory, type WorkerDeps } from "../../worker/worker-deps";

export const ALL_KINDS_SCOPE = JSON.stringify({
  kinds: ["publishing_stopped", "partial_stop", "update_missing", "update_delayed", "mirror_stale"],
});

/** A minimal config whose notifications section the test chooses. */
export function createNotificationConfig(notifications: Record<string, unknown>): SrcwatchConfig {
  return parseConfig(
    {
      upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
      mirrors: [
        {
          id: "git.centos.org",
          kind: "git-forge",
          name: "git.centos.org",
          majors: [8, 9],
          repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
          tagTemplate: "imports/c{major}/{nvr}",
          tagWebUrlTemplate: "x",
        },
      ],
      notifications: { publicUrl: "https://srcwatch.example.org", ...notifications },
    },
    "test notifications config",
  );
}

export function smtpSettings(port: number) {
  return {
    smtp: { host: "127.0.0.1", port, secure: false, rejectUnauthorized: false, connectionTimeoutMs: 2_000 },
    from: "srcwatch <alerts@srcwatch.example.org>",
  };
}

export interface TestClock {
  now(): Date;
  set(at: Date): void;
  advanceSeconds(seconds: number): void;
}

export function createTestClock(start: string): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set: (at) => {
      current = new Date(at.getTime());
    },
    advanceSeconds: (seconds) => {
      current = new Date(current.getTime() + seconds * 1000);
    },
  };
}

export function createTestDeps(input: { db: Db; config: SrcwatchConfig; clock: TestClock; mailer: Mailer | null }): WorkerDeps {
  return {
    db: input.db,
    config: input.config,
    now: input.clock.now,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    createHttpClient: createDefaultHttpClientFactory("srcwatch-test"),
    mailer: input.mailer,
  };
}

export async function createSubscription(
  db: Db,
  input: { email: string; status?: "pending" | "active" | "unsubscribed"; scope?: string; delivery?: "immediate" | "daily"; now: Date },
) {
  const status = input.status ?? "active";
  return db.subscription.create({
    data: {
      email: input.email,
      status,
      scope: input.scope ?? ALL_KINDS_SCOPE,
      delivery: input.delivery ?? "immediate",
      createdAt: input.now,
      confirmedAt: status === "pending" ? null : input.now,
    },
  });
}

export function createAlertItem(advisoryId: string, packageName = "kernel"): AlertItem {
  return {
    advisoryId,
    advisoryUrl: `https://access.redhat.com/errata/${advisoryId}`,
    severity: "Important",
    title: `${packageName} update`,
    issuedAt: "2023-06-14T10:00:00Z",
    major: 8,
    packages: [{ name: packageName, nevra: `${packageName}-0:1.0-1.el8.src`, status: "missing", since: "2023-06-21T10:00:00Z" }],
    ageHours: 170,
  };
}

/**
 * A partial stop as the rule words it: OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20); 16 of
 * the window's updates are unpublished, their packages named in `stoppedPackages`.
 */
export function createPartialStopDetails(
  input: { mirrorId?: string; mirrorName?: string; major?: number; stoppedCount?: number } = {},
): AlertDetails {
  const major = input.major ?? 8;
  const stoppedPackages = [
    "bash",
    "curl",
    "glibc",
    "kernel",
    "libxml2",
    "nss",
    "openssh",
    "openssl",
    "perl",
    "python3",
    "sudo",
    "systemd",
    "tar",
    "vim",
    "xz",
    "zlib",
  ];
  const stopped =
    input.stoppedCount === undefined
      ? stoppedPackages
      : Array.from({ length: input.stoppedCount }, (_, index) => `pkg-${String(index).padStart(3, "0")}`);
  const items = stopped.map((name, index) => ({
    ...createAlertItem(`RHSA-2023:${4000 + index}`, name),
    major,
    title: `${name} security update`,
    issuedAt: new Date(Date.UTC(2023, 5, 1 + (index % 20), 10)).toISOString(),
  }));
  return {
    mirrorId: input.mirrorId ?? "openela",
    mirrorName: input.mirrorName ?? "OpenELA",
    major,
    items,
    partialStop: {
      windowSize: 20,
      publishedInWindow: 4,
      baselineSize: 20,
      publishedInBaseline: 19,
      normalLagHours: 31,
      stoppedPackages: stopped,
      keptPackages: ["firefox", "thunderbird"],
    },
  };
}

/** An alert (new, or `alertId`) with one event, and its notifications queued in the same transaction, as the engine does. */
export async function recordAlertEvent(
  db: Db,
  config: SrcwatchConfig,
  input: {
    alertId?: number;
    kind?: AlertKind;
    /** git.centos.org unless told. */
    mirrorId?: string;
    mirrorName?: string;
    major?: number | null;
    type?: AlertEventType;
    summary?: string;
    items?: AlertItem[];
    /** Evidence beyond the items (stop, partialStop, stale), stored on the alert and its event as the engine does. */
    evidence?: Pick<AlertDetails, "stop" | "partialStop" | "stale">;
    now: Date;
  },
): Promise<{ alertId: number; eventId: number; queued: number }> {
  const kind = input.kind ?? "publishing_stopped";
  const major = input.major === undefined ? 8 : input.major;
  const mirrorId = input.mirrorId ?? "git.centos.org";
  const mirrorName = input.mirrorName ?? mirrorId;
  const details: AlertDetails = {
    mirrorId,
    mirrorName,
    major,
    items: input.items ?? [createAlertItem("RHSA-2023:3588")],
    ...input.evidence,
  };
  const type = input.type ?? "fired";
  return db.$transaction(async (tx) => {
    const alert =
      input.alertId === undefined
        ? await tx.alert.create({
            data: {
              dedupeKey: `${kind}/${mirrorId}/${major ?? "all"}/${Math.random()}`,
              kind,
              mirrorId,
              major,
              status: "firing",
              summary: input.summary ?? `${mirrorName} stopped publishing RHEL ${major}`,
              details: JSON.stringify(details),
              startsAt: input.now,
              lastChangedAt: input.now,
            },
          })
        : await tx.alert.update({
            where: { id: input.alertId },
            data:
              type === "resolved"
                ? { status: "resolved", firingKey: null, resolvedAt: input.now, lastChangedAt: input.now }
                : { lastChangedAt: input.now },
          });
    const event = await tx.alertEvent.create({
      data: { alertId: alert.id, type, at: input.now, details: JSON.stringify(details), notified: true },
    });
    const queued = await enqueueAlertNotifications(tx, {
      alert: { id: alert.id, kind, mirrorId: alert.mirrorId, major: alert.major },
      event: { id: event.id, type, details },
      config,
      now: input.now,
    });
    if (queued > 0)
      await tx.alert.update({ where: { id: alert.id }, data: { notifiedAt: alert.notifiedAt ?? input.now, lastNotifiedAt: input.now } });
    return { alertId: alert.id, eventId: event.id, queued };
  });
}
