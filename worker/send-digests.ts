import { queueDailyDigests } from "../server/outbox/queue-daily-digests";
import type { WorkerDeps } from "./worker-deps";

/** Job handler: bundles held notifications into today's digests once they are due (the server verb does the work). */
export async function sendDigests(deps: WorkerDeps): Promise<{ digests: number }> {
  const { digests, date } = await queueDailyDigests(deps.db, { now: deps.now(), digestHourUtc: deps.config.notifications.digestHourUtc });
  if (digests > 0) deps.logger.info({ digests, date }, "daily digests queued");
  return { digests };
}
