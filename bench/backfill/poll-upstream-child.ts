// Child process of run-backfill-bench.ts: the worker's upstream poll into a prepared SQLite database, timed.
import { Writable } from "node:stream";
import pino from "pino";
import { parseConfig } from "../../server/config/load-config";
import { createDb } from "../../server/db/client";
import { pollUpstream } from "../../worker/poll-upstream";
import { createDefaultHttpClientFactory } from "../../worker/worker-deps";
import { configureScaleUpstream } from "../polling/configure-scale-sources";
import { readPeakRssBytes, serveBenchChild } from "./run-bench-child";

export interface PollUpstreamChildInput {
  databaseUrl: string;
  csafBaseUrl: string;
  startDate: string;
  now: string;
}

export interface PollUpstreamChildResult {
  ms: number;
  /** Until the last index file was read: fetching and parsing every document. The rest is the one write transaction. */
  fetchMs: number | null;
  /** Peak RSS (VmHWM) when fetching ended: the rest of the peak, if any, came in the write. */
  fetchPeakRssBytes: number | null;
  outcome: string;
  requests: number;
  bytes: number;
  advisories: number;
  packages: number;
}

await serveBenchChild<PollUpstreamChildInput, PollUpstreamChildResult>(async (input) => {
  const config = parseConfig(
    // The archive at every size (the default waits for 500 documents): the smoke in CI reads it too, and the digest
    // check of run-backfill-bench.ts proves it wrote what the raw limit did.
    { upstreams: [{ ...configureScaleUpstream(input.csafBaseUrl, input.startDate), archive: { minDocuments: 1 } }], mirrors: [] },
    "backfill benchmark",
  );
  const db = createDb({ provider: "sqlite", url: input.databaseUrl });
  const now = new Date(input.now);
  try {
    let fetchedAtMs: number | null = null;
    let fetchPeakRssBytes: number | null = null;
    // The poll's own progress log says when fetching ended (deletions.csv read); nothing else is hooked.
    const progress = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
          const entry = JSON.parse(line) as { step?: string; done?: number };
          if (entry.step === "fetching deletions.csv" && entry.done === 1) {
            fetchedAtMs = performance.now();
            fetchPeakRssBytes = readPeakRssBytes();
          }
        }
        callback();
      },
    });
    const deps = {
      db,
      config,
      now: () => now,
      logger: pino({ level: "info" }, progress),
      createHttpClient: createDefaultHttpClientFactory("srcwatch-bench"),
      mailer: null,
    };
    const startedMs = performance.now();
    const { report } = await pollUpstream(deps, config.upstreams[0]);
    const ms = performance.now() - startedMs;
    return {
      ms,
      fetchMs: fetchedAtMs === null ? null : fetchedAtMs - startedMs,
      fetchPeakRssBytes,
      outcome: report.outcome,
      requests: report.stats.requests,
      bytes: report.stats.bytes,
      advisories: await db.advisory.count(),
      packages: await db.package.count(),
    };
  } finally {
    await db.$disconnect();
  }
});
