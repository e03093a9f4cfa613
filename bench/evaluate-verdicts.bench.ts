// npx tsx bench/evaluate-verdicts.bench.ts [--advisories 20000]
// Verdict evaluation at deployment size, reported as ratios against a baseline measured in the
// same run: one prepared better-sqlite3 INSERT of the same number of rows in one transaction.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { parseConfig } from "../server/config/load-config";
import { syncConfiguredMirrors } from "../server/mirrors/sync-configured-mirrors";
import { evaluateAlerts } from "../server/alerts/evaluate-alerts";
import { evaluateMirrorVerdicts } from "../server/verdicts/evaluate-mirror-verdicts";
import { createTestDatabase } from "../test/support/test-database";

const { values } = parseArgs({ options: { advisories: { type: "string", default: "20000" } } });
const advisoryCount = Number(values.advisories);
const packagesPerAdvisory = 2;
const packageCount = advisoryCount * packagesPerAdvisory;

async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function measureBaseline(rows: number): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-bench-"));
  const db = new Database(path.join(dir, "baseline.db"));
  db.exec(`CREATE TABLE v ("packageId" INTEGER, "mirrorId" TEXT, "status" TEXT, "since" TEXT, PRIMARY KEY ("packageId","mirrorId"))`);
  const insert = db.prepare(`INSERT INTO v VALUES (?, ?, ?, ?)`);
  const start = process.hrtime.bigint();
  db.transaction(() => {
    for (let id = 1; id <= rows; id++) insert.run(id, "mirror", "pending", "2023-06-01T00:00:00.000Z");
  })();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const database = await createTestDatabase("sqlite");
try {
  const config = parseConfig({
    upstreams: [{ id: "redhat-csaf", kind: "csaf", name: "CSAF", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
    mirrors: [
      {
        id: "git.centos.org",
        kind: "git-forge",
        name: "git.centos.org",
        majors: [8, 9],
        repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
        tagTemplate: "imports/c{major}/{nvr}",
        tagWebUrlTemplate: "http://127.0.0.1:1/{name}/c/{sha}",
      },
    ],
  });
  const mirror = config.mirrors[0];
  await syncConfiguredMirrors(database.db, config);

  // Seed through the same file with raw SQL (fast) — what is measured is evaluation, not seeding.
  const sqlite = new Database(database.target.url.slice("file:".length));
  const issuedAt = Date.parse("2023-06-01T00:00:00Z");
  sqlite.transaction(() => {
    const advisory = sqlite.prepare(
      `INSERT INTO "Advisory" ("id","upstreamId","type","issuedAt","updatedAt","url","fetchedAt") VALUES (?,?,?,?,?,?,?)`,
    );
    const pkg = sqlite.prepare(
      `INSERT INTO "Package" ("advisoryId","name","epoch","version","release","major","stream") VALUES (?,?,?,?,?,?,?)`,
    );
    const evidence = sqlite.prepare(
      `INSERT INTO "Evidence" ("mirrorId","name","epoch","version","release","major","ref","url","firstSeenAt","publishedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    for (let index = 0; index < advisoryCount; index++) {
      const id = `RHSA-2023:${100000 + index}`;
      const at = new Date(issuedAt + index * 60_000).toISOString();
      advisory.run(id, "redhat-csaf", "security", at, at, `https://access.redhat.com/errata/${id}`, at);
      for (let p = 0; p < packagesPerAdvisory; p++) {
        const name = `pkg${index}-${p}`;
        const major = p % 2 === 0 ? 8 : 9;
        pkg.run(id, name, 0, "1.0", `1.el${major}_8`, major, "main");
        if (index % 2 === 0)
          evidence.run(
            "git.centos.org",
            name,
            null,
            "1.0",
            `1.el${major}_8`,
            major,
            `refs/tags/imports/c${major}/${name}-1.0-1.el${major}_8`,
            "http://x",
            at,
            at,
          );
      }
    }
  })();
  sqlite.close();

  const baselineMs = measureBaseline(packageCount);
  const now = new Date("2023-06-20T00:00:00Z");
  await database.db.sourceState.create({ data: { sourceId: "git.centos.org", sourceKind: "mirror", lastSuccessAt: now } });
  const first = await time(() => evaluateMirrorVerdicts(database.db, { mirror, now }));
  const unchanged = await time(() => evaluateMirrorVerdicts(database.db, { mirror, now }));
  // Alert rules read every carried verdict of the mirror after each evaluation: the first run fires the
  // grouped alerts (a stop and the missing / delayed updates), the second finds nothing to change.
  const alertsFirst = await time(() => evaluateAlerts(database.db, { mirror, config, now }));
  const alertsUnchanged = await time(() => evaluateAlerts(database.db, { mirror, config, now: new Date(now.getTime() + 60_000) }));
  const stale = await time(() => evaluateMirrorVerdicts(database.db, { mirror, now: new Date(now.getTime() + 24 * 3_600_000) }));

  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`packages: ${packageCount} (half published), baseline raw insert of ${packageCount} rows: ${baselineMs.toFixed(0)} ms`);
  const runs = [
    ["first evaluation (creates every verdict)", first],
    ["re-evaluation, nothing changed", unchanged],
    ["alerts: first evaluation (fires)", alertsFirst],
    ["alerts: re-evaluation, nothing changed", alertsUnchanged],
    ["mirror turns stale (all open → unknown)", stale],
  ] as const;
  for (const [name, run] of runs) {
    console.log(
      `${name.padEnd(44)} ${run.ms.toFixed(0).padStart(7)} ms  = ${(run.ms / baselineMs).toFixed(1).padStart(6)} × baseline  ${JSON.stringify(run.result)}`,
    );
  }
  console.log(`peak RSS ${rss.toFixed(0)} MiB`);
} finally {
  await database.drop();
}
