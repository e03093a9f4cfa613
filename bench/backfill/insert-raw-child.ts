// Child process of run-backfill-bench.ts: the raw limit of a backfill. The same CSAF documents the simulator serves,
// parsed by the same parser, their rows inserted with prepared better-sqlite3 statements in one transaction.
import Database from "better-sqlite3";
import type { UpstreamAdvisory } from "../../core/types";
import { parseConfig } from "../../server/config/load-config";
import { parseCsafAdvisory } from "../../sources/redhat-csaf/parse-csaf-advisory";
import { parseJson } from "../../sources/parse-json-body";
import { buildCsafDocument } from "../../simulator/csaf/build-csaf-document";
import { generateScaleCatalogue } from "../../simulator/scale/generate-scale-catalogue";
import { configureScaleUpstream } from "../polling/configure-scale-sources";
import { serveBenchChild } from "./run-bench-child";

export interface InsertRawChildInput {
  databaseFile: string;
  advisoryCount: number;
  endAt: string;
  startDate: string;
  now: string;
}

export interface InsertRawChildResult {
  ms: number;
  advisories: number;
  packages: number;
}

await serveBenchChild<InsertRawChildInput, InsertRawChildResult>(async (input) => {
  const upstream = parseConfig(
    { upstreams: [configureScaleUpstream("http://127.0.0.1:1/", input.startDate)], mirrors: [] },
    "backfill benchmark",
  ).upstreams[0];
  const { timeline } = generateScaleCatalogue({ advisoryCount: input.advisoryCount, endAt: new Date(input.endAt) });
  // The bytes the simulator's feed serves for each document (simulator/csaf/create-csaf-feed.ts).
  const documents = timeline.releases.map((release) => Buffer.from(`${JSON.stringify(buildCsafDocument(release), null, 2)}\n`));
  // DateTime as Prisma's SQLite adapter writes it, so both databases hold the same text.
  const toStoredTime = (date: Date) => date.toISOString().replace(/Z$/, "+00:00");
  const now = toStoredTime(new Date(input.now));
  const sqlite = new Database(input.databaseFile);
  const insertAdvisory = sqlite.prepare(
    `INSERT INTO "Advisory" ("id","upstreamId","type","severity","title","issuedAt","updatedAt","url","cves","fetchedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertPackage = sqlite.prepare(
    `INSERT INTO "Package" ("advisoryId","name","epoch","version","release","major","stream","minor","moduleStream","recordedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );

  const startedMs = performance.now();
  const advisories: UpstreamAdvisory[] = [];
  for (const document of documents) {
    const json = parseJson(document);
    if (!json.ok) throw new Error(json.error.message);
    const parsed = parseCsafAdvisory(json.value, { majors: upstream.majors, links: upstream });
    if (!parsed.ok) throw new Error(parsed.error.message);
    if (parsed.advisory) advisories.push(parsed.advisory);
  }
  let packages = 0;
  sqlite.transaction(() => {
    for (const advisory of advisories) {
      insertAdvisory.run(
        advisory.id,
        upstream.id,
        advisory.type,
        advisory.severity,
        advisory.title,
        toStoredTime(advisory.issuedAt),
        toStoredTime(advisory.updatedAt),
        advisory.url,
        advisory.cves.join(" "),
        now,
      );
      for (const pkg of advisory.packages) {
        insertPackage.run(
          advisory.id,
          pkg.name,
          pkg.epoch,
          pkg.version,
          pkg.release,
          pkg.major,
          pkg.stream,
          pkg.minor,
          pkg.moduleStream,
          now,
        );
        packages++;
      }
    }
  })();
  const ms = performance.now() - startedMs;
  sqlite.close();
  return { ms, advisories: advisories.length, packages };
});
