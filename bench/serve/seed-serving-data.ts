// Seeds the serving benchmark's SQLite file: advisories, packages and evidence by raw INSERT (fast), then every
// derived row through the real code (syncConfiguredMirrors, evaluateMirrorVerdicts, evaluateAlerts), so verdicts,
// their history and the per-update rollups are what a poller would have written. Imports server/: run it under
// `--conditions=react-server` (seed-serving-data.cli.ts does).
import Database from "better-sqlite3";
import { applyPendingMigrations } from "../../prisma/migrate";
import { evaluateAlerts } from "../../server/alerts/evaluate-alerts";
import { loadConfig } from "../../server/config/load-config";
import { createDb } from "../../server/db/client";
import { catchUpAllNewestBuilds } from "../../server/evidence/catch-up-newest-builds";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";

/** Each advisory has two source packages, each judged on six mirrors. */
export const VERDICTS_PER_ADVISORY = 12;
const PACKAGES_PER_ADVISORY = 2;
/** Distinct source package names: each is updated again and again over the years, as on RHEL. */
const NAME_POOL_SIZE = 4_999;
const HISTORY_DAYS = 3 * 365;
/** When srcwatch began polling: builds older than that were there at the first look (no lag of our own). */
const TRACKING_DAYS = 400;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const BASE_NAMES = [
  "kernel",
  "openssl",
  "glibc",
  "systemd",
  "httpd",
  "nginx",
  "postgresql",
  "python3",
  "curl",
  "sudo",
  "bind",
  "firefox",
  "thunderbird",
  "libxml2",
  "git",
  "podman",
  "qemu-kvm",
  "libvirt",
  "grub2",
  "shim",
  "samba",
  "krb5",
  "nss",
  "gnutls",
  "expat",
  "zlib",
  "openssh",
  "vim",
  "tar",
  "rsync",
];

interface MirrorBehaviour {
  id: string;
  /** Typical hours from the release to the mirror's build (negative: it builds before RHEL, like CentOS Stream). */
  lagHours: number;
  evidenceKind: "tag" | "srpm" | "erratum";
  origin: "tagger_date" | "index_date" | "erratum_date";
  /** The mirror gives no time of its own for builds it had before tracking (an SRPM index lists no date then). */
  hasTimeBeforeTracking: boolean;
}

const BEHAVIOURS: MirrorBehaviour[] = [
  { id: "git.centos.org", lagHours: 6, evidenceKind: "tag", origin: "tagger_date", hasTimeBeforeTracking: true },
  { id: "centos-stream", lagHours: -400, evidenceKind: "tag", origin: "tagger_date", hasTimeBeforeTracking: true },
  { id: "oracle-srpms", lagHours: 30, evidenceKind: "srpm", origin: "index_date", hasTimeBeforeTracking: false },
  { id: "almalinux-errata", lagHours: 18, evidenceKind: "erratum", origin: "erratum_date", hasTimeBeforeTracking: true },
  { id: "rocky-errata", lagHours: 40, evidenceKind: "erratum", origin: "erratum_date", hasTimeBeforeTracking: true },
  { id: "openela", lagHours: 50, evidenceKind: "tag", origin: "tagger_date", hasTimeBeforeTracking: true },
];

export interface ServingDataSummary {
  now: string;
  rounds: number;
  advisories: number;
  packages: number;
  evidence: number;
  verdicts: number;
  verdictsByStatus: Record<string, number>;
  firingAlerts: number;
  /** An advisory of about a week ago, whose page the benchmark asks for. */
  sampleAdvisoryId: string;
  seedSeconds: number;
}

/** A number in [0, 1) from integers, the same on every run. */
function hashToUnit(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ part, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return (hash >>> 0) / 2 ** 32;
}

/** Prisma keeps SQLite instants as ISO text with an explicit offset; raw rows must compare alike. */
function toStoredInstant(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}

function packageName(nameIndex: number): string {
  const base = BASE_NAMES[nameIndex % BASE_NAMES.length];
  const family = Math.floor(nameIndex / BASE_NAMES.length);
  return family === 0 ? base : `${base}-${family}`;
}

const SEVERITY_BY_DRAW = ["Low", "Moderate", "Moderate", "Important", "Important", "Important", "Critical"] as const;

export async function seedServingData(input: {
  databaseFile: string;
  configFile: string;
  /** Advisories written per round; every mirror is evaluated after each round. */
  advisoriesPerRound: number;
  /** The `--scale` of the benchmark: the history is as long, `rounds` times as dense. */
  rounds: number;
  /** The data's present; at least 10 minutes before the app serves it (the last poll and the alerts come 10 minutes later). */
  now: Date;
}): Promise<ServingDataSummary> {
  const startedAt = process.hrtime.bigint();
  const { now, rounds, advisoriesPerRound } = input;
  const target = { provider: "sqlite" as const, url: `file:${input.databaseFile}` };
  await applyPendingMigrations(target);
  const config = loadConfig(input.configFile);
  const db = createDb(target);
  try {
    await syncConfiguredMirrors(db, config);
    const lastPollAt = new Date(now.getTime() - 20 * 60_000);
    for (const source of [
      ...config.upstreams.map((upstream) => ({ id: upstream.id, kind: "upstream" })),
      ...config.mirrors.map((mirror) => ({ id: mirror.id, kind: "mirror" })),
    ]) {
      await db.sourceState.create({
        data: { sourceId: source.id, sourceKind: source.kind, lastSuccessAt: now, lastCheckedAllAt: lastPollAt, syncState: "{}" },
      });
      await db.pollRun.create({
        data: {
          sourceId: source.id,
          sourceKind: source.kind,
          startedAt: lastPollAt,
          finishedAt: now,
          outcome: "success",
          requests: 12,
          items: 40,
        },
      });
    }

    const advisoryCount = advisoriesPerRound * rounds;
    const historyMs = HISTORY_DAYS * DAY_MS;
    const trackingStartMs = now.getTime() - TRACKING_DAYS * DAY_MS;
    const issuedAtOf = (index: number) => new Date(now.getTime() - historyMs + ((index + 0.5) * historyMs) / advisoryCount);
    const sqlite = new Database(input.databaseFile);
    sqlite.pragma("busy_timeout = 10000");
    const insertAdvisory = sqlite.prepare(
      `INSERT INTO "Advisory" ("id","upstreamId","type","severity","title","issuedAt","updatedAt","url","cves","fetchedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    const insertPackage = sqlite.prepare(
      `INSERT INTO "Package" ("advisoryId","name","epoch","version","release","major","stream") VALUES (?,?,?,?,?,?,?)`,
    );
    const insertEvidence = sqlite.prepare(
      `INSERT INTO "Evidence" ("mirrorId","name","epoch","version","release","major","kind","ref","url","firstSeenAt","publishedAt","publishedAtOrigin","lastAbsentAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const mirrorById = new Map(config.mirrors.map((mirror) => [mirror.id, mirror]));
    let evidenceCount = 0;
    let sampleAdvisoryId = "";
    const sampleAt = now.getTime() - 7 * DAY_MS;

    // Per round its rows, then every mirror evaluated (open verdicts of earlier rounds are re-evaluated).
    for (let round = 0; round < rounds; round++) {
      sqlite.transaction(() => {
        for (let index = round * advisoriesPerRound; index < (round + 1) * advisoriesPerRound; index++) {
          const issuedAt = issuedAtOf(index);
          const typeDraw = hashToUnit(index, 1);
          const type = typeDraw < 0.5 ? "security" : typeDraw < 0.85 ? "bugfix" : "enhancement";
          const prefix = type === "security" ? "RHSA" : type === "bugfix" ? "RHBA" : "RHEA";
          const id = `${prefix}-${issuedAt.getUTCFullYear()}:${String(10_000 + index).padStart(5, "0")}`;
          const major = index % 2 === 0 ? 8 : 9;
          const severity = type === "security" ? SEVERITY_BY_DRAW[Math.floor(hashToUnit(index, 2) * SEVERITY_BY_DRAW.length)] : null;
          const names = Array.from({ length: PACKAGES_PER_ADVISORY }, (_, p) => (index * PACKAGES_PER_ADVISORY + p) % NAME_POOL_SIZE);
          const cves =
            type === "security"
              ? Array.from(
                  { length: 1 + Math.floor(hashToUnit(index, 3) * 3) },
                  (_, c) => `CVE-${issuedAt.getUTCFullYear()}-${20_000 + index * 3 + c}`,
                )
              : [];
          const title = `${severity ? `${severity}: ` : ""}${packageName(names[0])} ${type === "security" ? "security" : type} update`;
          const at = toStoredInstant(issuedAt);
          insertAdvisory.run(
            id,
            "redhat-csaf",
            type,
            severity,
            title,
            at,
            at,
            `https://access.redhat.com/errata/${id}`,
            cves.join(" "),
            at,
          );
          if (sampleAdvisoryId === "" && issuedAt.getTime() >= sampleAt) sampleAdvisoryId = id;

          names.forEach((nameIndex, p) => {
            const name = packageName(nameIndex);
            const occurrence = Math.floor((index * PACKAGES_PER_ADVISORY + p) / NAME_POOL_SIZE);
            const version = `${1 + occurrence}.${nameIndex % 10}.0`;
            const release = `${1 + (nameIndex % 3)}.el${major}`;
            insertPackage.run(id, name, 0, version, release, major, "main");
            const nvr = `${name}-${version}-${release}`;
            BEHAVIOURS.forEach((behaviour, mirrorIndex) => {
              const mirror = mirrorById.get(behaviour.id)!;
              if (!mirror.majors.includes(major)) return;
              // 2% of names a mirror never carries, 1% of builds it skips: those stay missing unless a newer build answers.
              if (hashToUnit(mirrorIndex, nameIndex, 7) < 0.02 || hashToUnit(mirrorIndex, index, p, 8) < 0.01) return;
              const spread = -Math.log(1 - hashToUnit(mirrorIndex, index, p, 9));
              const lagMs =
                behaviour.lagHours < 0 ? behaviour.lagHours * (0.2 + spread) * HOUR_MS : behaviour.lagHours * (0.3 + spread) * HOUR_MS;
              const publishedAtMs = issuedAt.getTime() + Math.min(lagMs, 30 * DAY_MS);
              if (publishedAtMs > now.getTime() - 10 * 60_000) return;
              const isBeforeTracking = publishedAtMs < trackingStartMs;
              const firstSeenAtMs = isBeforeTracking
                ? trackingStartMs
                : Math.min(publishedAtMs + hashToUnit(mirrorIndex, index, p, 10) * HOUR_MS, now.getTime() - 5 * 60_000);
              const publishedAt = isBeforeTracking && !behaviour.hasTimeBeforeTracking ? null : new Date(publishedAtMs);
              const { ref, url } = describeBuild(behaviour, { id, name, nvr, major, mirrorIndex });
              insertEvidence.run(
                behaviour.id,
                name,
                behaviour.evidenceKind === "tag" ? null : 0,
                version,
                release,
                major,
                behaviour.evidenceKind,
                ref,
                url,
                toStoredInstant(new Date(firstSeenAtMs)),
                publishedAt ? toStoredInstant(publishedAt) : null,
                publishedAt ? behaviour.origin : null,
                isBeforeTracking ? null : toStoredInstant(new Date(firstSeenAtMs - HOUR_MS)),
              );
              evidenceCount++;
            });
          });
        }
      })();
      for (const mirror of config.mirrors) await evaluateMirrorVerdicts(db, { mirror, now });
    }
    sqlite.close();
    // What a worker's start does with Evidence written before NewestBuild kept up (here: the raw INSERTs above).
    await catchUpAllNewestBuilds(
      db,
      config.mirrors.map((mirror) => mirror.id),
    );
    // The next poll of every mirror asked about the verdicts just written, so the alert rules count them (`since` ≤ the poll).
    const nextPollAt = new Date(now.getTime() + 5 * 60_000);
    const alertsAt = new Date(now.getTime() + 10 * 60_000);
    for (const mirror of config.mirrors) {
      await db.pollRun.create({
        data: {
          sourceId: mirror.id,
          sourceKind: "mirror",
          startedAt: nextPollAt,
          finishedAt: alertsAt,
          outcome: "success",
          requests: 12,
          items: 40,
        },
      });
      await db.sourceState.update({ where: { sourceId: mirror.id }, data: { lastSuccessAt: alertsAt, lastCheckedAllAt: nextPollAt } });
      await evaluateAlerts(db, { mirror, config, now: alertsAt });
    }

    const statusRows = await db.verdict.groupBy({ by: ["status"], _count: { _all: true } });
    const verdictsByStatus = Object.fromEntries(statusRows.map((row) => [row.status, row._count._all]));
    return {
      now: now.toISOString(),
      rounds,
      advisories: advisoryCount,
      packages: advisoryCount * PACKAGES_PER_ADVISORY,
      evidence: evidenceCount,
      verdicts: Object.values(verdictsByStatus).reduce((sum, count) => sum + count, 0),
      verdictsByStatus,
      firingAlerts: await db.alert.count({ where: { status: "firing" } }),
      sampleAdvisoryId,
      seedSeconds: Number(process.hrtime.bigint() - startedAt) / 1e9,
    };
  } finally {
    await db.$disconnect();
  }
}

function describeBuild(
  behaviour: MirrorBehaviour,
  build: { id: string; name: string; nvr: string; major: number; mirrorIndex: number },
): { ref: string; url: string } {
  const sha = Math.floor(hashToUnit(build.mirrorIndex, build.nvr.length, build.id.length) * 2 ** 32)
    .toString(16)
    .padStart(8, "0");
  switch (behaviour.id) {
    case "git.centos.org":
      return { ref: `refs/tags/imports/c${build.major}/${build.nvr}`, url: `https://git.centos.org/rpms/${build.name}/c/${sha}` };
    case "centos-stream":
      return { ref: `refs/tags/${build.nvr}`, url: `https://gitlab.com/redhat/centos-stream/rpms/${build.name}/-/tags/${build.nvr}` };
    case "oracle-srpms":
      return { ref: `${build.nvr}.src.rpm`, url: `https://oss.oracle.com/ol${build.major}/SRPMS-updates/${build.nvr}.src.rpm` };
    case "almalinux-errata": {
      const erratum = build.id.replace(/^RH/, "AL");
      return { ref: `${erratum}/${build.nvr}`, url: `https://errata.almalinux.org/${build.major}/${erratum.replace(":", "-")}.html` };
    }
    case "rocky-errata": {
      const erratum = build.id.replace(/^RH/, "RL");
      return { ref: `${erratum}/${build.nvr}`, url: `https://errata.rockylinux.org/${erratum}` };
    }
    default:
      return {
        ref: `refs/tags/imports/el${build.major}/${build.nvr}`,
        url: `https://github.com/openela-main/${build.name}/releases/tag/imports/el${build.major}/${build.nvr}`,
      };
  }
}
