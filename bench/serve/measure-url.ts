import autocannon from "autocannon";

export interface LoadSettings {
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
}

export interface UrlMeasurement {
  url: string;
  /** Answers received during the measured run. */
  answers: number;
  /** Answers that were not 2xx, by status. */
  failures: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  p50Ms: number;
  p95Ms: number;
  requestsPerSecond: number;
  /** Too few answers came within the run: measured over a fixed number of requests instead. */
  isTooSlowForDuration: boolean;
  /** Size of one answer's body, from a single request before the run. */
  bodyBytes: number;
  /** The server's own time, when it sends a Server-Timing header; null when it does not (the latency stands for it). */
  serverTimingHeader: string | null;
}

/** An answer slower than this counts as a connection error (the CSV export under load takes tens of seconds). */
const ANSWER_TIMEOUT_SECONDS = 120;
/** Fewer answers than this per connection in the run: too few for a p95. */
const MIN_ANSWERS_PER_CONNECTION = 3;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** `length`: seconds to run, or a number of requests to complete. */
function runLoad(
  url: string,
  connections: number,
  length: { durationSeconds: number } | { requests: number },
  onAnswer?: (status: number, latencyMs: number) => void,
) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const limit = "requests" in length ? { amount: length.requests } : { duration: length.durationSeconds };
    const instance = autocannon({ url, connections, timeout: ANSWER_TIMEOUT_SECONDS, ...limit }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    if (onAnswer) instance.on("response", (_client, statusCode, _bytes, responseTime) => onAnswer(statusCode, responseTime));
  });
}

/**
 * One URL under load: a warm-up run (not counted), then `durationSeconds` with `connections` keep-alive connections.
 * Every answer's latency is kept, so p50 and p95 are exact (autocannon's own histogram has no p95); they are taken over
 * the 2xx answers when there are any.
 */
export async function measureUrl(url: string, settings: LoadSettings): Promise<UrlMeasurement> {
  const probe = await fetch(url);
  const bodyBytes = (await probe.arrayBuffer()).byteLength;
  const serverTimingHeader = probe.headers.get("server-timing");
  if (settings.warmupSeconds > 0) await runLoad(url, settings.connections, { durationSeconds: settings.warmupSeconds });

  const okLatencies: number[] = [];
  const allLatencies: number[] = [];
  const failures: Record<string, number> = {};
  const record = (status: number | undefined, latencyMs: number) => {
    allLatencies.push(latencyMs);
    // autocannon reports no status for an answer the connection cut short.
    const outcome = status === undefined ? "cut" : String(status);
    if (status !== undefined && status >= 200 && status < 300) okLatencies.push(latencyMs);
    else failures[outcome] = (failures[outcome] ?? 0) + 1;
  };
  let result = await runLoad(url, settings.connections, { durationSeconds: settings.durationSeconds }, record);
  // Answers slower than the run leave too few to read a percentile from (autocannon drops those in flight at the end):
  // measure a fixed number of requests instead, however long they take.
  const isTooSlow = allLatencies.length < settings.connections * MIN_ANSWERS_PER_CONNECTION;
  if (isTooSlow) {
    const earlierErrors = result.errors;
    allLatencies.length = 0;
    okLatencies.length = 0;
    for (const status of Object.keys(failures)) delete failures[status];
    result = await runLoad(url, settings.connections, { requests: settings.connections * MIN_ANSWERS_PER_CONNECTION }, record);
    result.errors += earlierErrors;
  }
  const latencies = (okLatencies.length > 0 ? okLatencies : allLatencies).sort((a, b) => a - b);
  return {
    url,
    answers: allLatencies.length,
    failures,
    errors: result.errors,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    requestsPerSecond: allLatencies.length / result.duration,
    isTooSlowForDuration: isTooSlow,
    bodyBytes,
    serverTimingHeader,
  };
}
