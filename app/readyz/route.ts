import { getDatabaseTarget, getDb } from "@/server/db/client";
import { listLocalMigrations, readReadiness } from "@/server/db/read-readiness";

export const dynamic = "force-dynamic";

/** This build's migrations do not change while it runs: read the folder once, not at every probe. */
let localMigrations: { provider: string; names: string[] | null } | undefined;

/** Readiness for load balancers: 200 when the database answers and has every migration of this build, else 503. */
export async function GET(): Promise<Response> {
  const { provider } = getDatabaseTarget();
  if (localMigrations?.provider !== provider) localMigrations = { provider, names: listLocalMigrations(provider) };
  const readiness = await readReadiness(getDb(), { provider, localMigrations: localMigrations.names });
  return Response.json(
    {
      status: readiness.isReady ? "ready" : "not_ready",
      database: readiness.database,
      pendingMigrations: readiness.pendingMigrations,
      unknownMigrations: readiness.unknownMigrations,
      ...(readiness.problem === null ? {} : { problem: readiness.problem }),
    },
    { status: readiness.isReady ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
