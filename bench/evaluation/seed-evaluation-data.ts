import Database from "better-sqlite3";
import type { MirrorConfig, SrcwatchConfig } from "../../core/config";
import type { Db } from "../../server/db/client";
import { sqliteFilePath, type DatabaseTarget } from "../../server/db/database-target";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { recordListingPoll } from "./record-listing-poll";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** How Prisma's SQLite adapter writes a DateTime (iso8601 with +00:00): raw rows must compare alike. */
function toStoredTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

export interface SeededEvaluationData {
  advisoryCount: number;
  packageCount: number;
  evidenceCount: number;
  /** Start of the mirror poll that asked about every package (a listing mirror reads everything). */
  lastPollAt: Date;
}

/**
 * Advisories one per hour up to an hour before `now` (so a pass a few minutes later crosses no threshold), two packages
 * each (RHEL 8 and 9); every other advisory reached the mirror 1–96 h after release. Advisories, packages and evidence are
 * raw INSERTs (what a poll would have written); the mirror poll that last read the listing goes through the real code, and
 * no verdict, update or alert exists: evaluation creates them.
 */
export async function seedEvaluationData(input: {
  db: Db;
  target: DatabaseTarget;
  config: SrcwatchConfig;
  mirror: MirrorConfig;
  advisoryCount: number;
  now: Date;
}): Promise<SeededEvaluationData> {
  const { db, mirror, advisoryCount } = input;
  await syncConfiguredMirrors(db, input.config);
  const lastIssuedAt = Math.floor(input.now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const firstIssuedAt = lastIssuedAt - (advisoryCount - 1) * HOUR_MS;
  const lastPollAt = new Date(input.now.getTime() - 10 * MINUTE_MS);
  const upstreamId = input.config.upstreams[0].id;
  let packageCount = 0;
  let evidenceCount = 0;

  const sqlite = new Database(sqliteFilePath(input.target));
  try {
    const advisory = sqlite.prepare(
      `INSERT INTO "Advisory" ("id","upstreamId","type","severity","title","issuedAt","updatedAt","url","fetchedAt") VALUES (?,?,?,?,?,?,?,?,?)`,
    );
    const pkg = sqlite.prepare(
      `INSERT INTO "Package" ("advisoryId","name","epoch","version","release","major","stream","recordedAt") VALUES (?,?,?,?,?,?,?,?)`,
    );
    const evidence = sqlite.prepare(
      `INSERT INTO "Evidence" ("mirrorId","name","epoch","version","release","major","kind","ref","url","firstSeenAt","publishedAt","publishedAtOrigin","lastAbsentAt")
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    sqlite.transaction(() => {
      for (let index = 0; index < advisoryCount; index++) {
        const id = `RHSA-2023:${100000 + index}`;
        const issuedAt = firstIssuedAt + index * HOUR_MS;
        const at = toStoredTime(issuedAt);
        const recordedAt = toStoredTime(issuedAt + 5 * MINUTE_MS);
        advisory.run(
          id,
          upstreamId,
          "security",
          "Important",
          `bench update ${index}`,
          at,
          at,
          `https://access.redhat.com/errata/${id}`,
          at,
        );
        for (const major of [8, 9]) {
          const name = `pkg${index}-el${major}`;
          const release = `1.el${major}_8`;
          pkg.run(id, name, 0, "1.0", release, major, "main", recordedAt);
          packageCount++;
          const publishedAt = issuedAt + (1 + ((index * 37) % 96)) * HOUR_MS;
          const firstSeenAt = publishedAt + 20 * MINUTE_MS;
          if (index % 2 !== 0 || firstSeenAt >= lastPollAt.getTime()) continue;
          evidence.run(
            mirror.id,
            name,
            0,
            "1.0",
            release,
            major,
            "erratum",
            `BENCH-${index}/${name}-1.0-${release}`,
            `https://mirror.invalid/errata/BENCH-${index}`,
            toStoredTime(firstSeenAt),
            toStoredTime(publishedAt),
            "erratum_date",
            toStoredTime(firstSeenAt - HOUR_MS),
          );
          evidenceCount++;
        }
      }
    })();
  } finally {
    sqlite.close();
  }

  await recordListingPoll(db, { mirrorId: mirror.id, startedAt: lastPollAt });
  return { advisoryCount, packageCount, evidenceCount, lastPollAt };
}
