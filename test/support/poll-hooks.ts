import type { Db } from "../../server/db/client";
import type { FetchError, HttpClient } from "../../sources/http/types";
import type { WorkerDeps } from "../../worker/worker-deps";

/**
 * A point a job handler stops at until the test opens it: `reached` settles when the handler gets there, `open()`
 * lets it (and every later arrival) through. Interleavings of concurrent polls then follow the test, not the scheduler.
 */
export interface Gate {
  reached: Promise<void>;
  open(): void;
  pass(): Promise<void>;
}

export function createGate(): Gate {
  let open!: () => void;
  let markReached!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (markReached = resolve));
  return {
    reached,
    open,
    async pass() {
      markReached();
      await opened;
    },
  };
}

/** The handler's HTTP requests wait at `gate`: its poll has started (PollRun, `startedAt`) but asked the network nothing yet. */
export function holdHttpAt(deps: WorkerDeps, gate: Gate): WorkerDeps {
  return {
    ...deps,
    createHttpClient: (source, options) => {
      const client = deps.createHttpClient(source, options);
      const held: HttpClient = {
        get: async (url, getOptions) => {
          await gate.pass();
          return client.get(url, getOptions);
        },
        request: async (url, init) => {
          await gate.pass();
          return client.request(url, init);
        },
        stream: async (url, streamOptions, read) => {
          await gate.pass();
          return client.stream(url, streamOptions, read);
        },
        get stats() {
          return client.stats;
        },
      };
      return held;
    },
  };
}

/**
 * The handler's `db.$transaction` waits at `gate`: an upstream poll has fetched everything and read its `now` (the
 * packages' recordedAt) but not written yet — another process' poll can run before it commits.
 */
export function holdTransactionsAt(deps: WorkerDeps, gate: Gate): WorkerDeps {
  const db = new Proxy(deps.db, {
    get(target, property, receiver) {
      if (property !== "$transaction") return Reflect.get(target, property, receiver) as unknown;
      return async (...args: unknown[]) => {
        await gate.pass();
        return (target.$transaction as (...callArgs: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  }) as Db;
  return { ...deps, db };
}

const isNoSuchRepository = (error: FetchError) => error.kind === "http" && error.status === 404;

/** What one mirror poll asked the network, as the network answered it. */
export interface AskedLogEntry {
  mirrorId: string;
  /** The scenario clock when the poll created its HTTP client: right after its start (startPollRun). */
  startedAt: Date;
  /** Per-package mirrors: repository names that answered (200, or 404: no such repository — an answer too). */
  names: Set<string>;
  /** Listing mirrors: the URLs that answered 200 or 304. */
  listings: Set<string>;
  /** Set by `settle`: the poll's outcome (a failed poll asked nothing usable). */
  outcome: string | null;
}

/**
 * An independent account of what each mirror poll really asked — read off the HTTP answers, not off the
 * database rows the code under test writes. `wrap` the deps of the polls, `settle` each poll with its report.
 */
export function createAskedLog(repositoryNameOf: (url: URL) => string | null) {
  const entries: AskedLogEntry[] = [];
  const current = new Map<string, AskedLogEntry>();
  const note = (entry: AskedLogEntry, url: string, answeredOk: boolean) => {
    if (!answeredOk) return;
    const parsed = new URL(url);
    const name = repositoryNameOf(parsed);
    if (name !== null) entry.names.add(name);
    else entry.listings.add(parsed.pathname);
  };
  return {
    entries,
    wrap(deps: WorkerDeps): WorkerDeps {
      return {
        ...deps,
        createHttpClient: (source, options) => {
          const client = deps.createHttpClient(source, options);
          const entry: AskedLogEntry = { mirrorId: source.id, startedAt: deps.now(), names: new Set(), listings: new Set(), outcome: null };
          current.set(source.id, entry);
          entries.push(entry);
          return {
            get: async (url, getOptions) => {
              const answer = await client.get(url, getOptions);
              note(entry, url, answer.ok || isNoSuchRepository(answer.error));
              return answer;
            },
            request: async (url, init) => {
              const answer = await client.request(url, init);
              note(entry, url, answer.ok ? answer.status === 200 || answer.status === 404 : isNoSuchRepository(answer.error));
              return answer;
            },
            stream: async (url, streamOptions, read) => {
              const answer = await client.stream(url, streamOptions, read);
              note(entry, url, answer.ok);
              return answer;
            },
            get stats() {
              return client.stats;
            },
          } satisfies HttpClient;
        },
      };
    },
    /** Records the outcome of the mirror's poll that just finished. */
    settle(mirrorId: string, outcome: string) {
      const entry = current.get(mirrorId);
      if (entry) entry.outcome = outcome;
      current.delete(mirrorId);
    },
    /** The last start of a usable poll of `mirrorId` that asked about `name` (or, with `listingUrls`, read every listing). */
    lastAskedAt(mirrorId: string, name: string, listingUrls: readonly string[] = []): Date | null {
      let last: Date | null = null;
      for (const entry of entries) {
        if (entry.mirrorId !== mirrorId || entry.outcome === null || entry.outcome === "failed") continue;
        const asked = listingUrls.length > 0 ? listingUrls.every((url) => entry.listings.has(url)) : entry.names.has(name);
        if (asked && (last === null || entry.startedAt > last)) last = entry.startedAt;
      }
      return last;
    },
  };
}
