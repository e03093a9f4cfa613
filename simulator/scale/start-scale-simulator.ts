import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAlmaLinuxReplica } from "../almalinux/create-almalinux-replica";
import { createCsafFeed } from "../csaf/create-csaf-feed";
import { buildForgeStore } from "../git-forge/build-forge-store";
import { createGitForge, type GitForge } from "../git-forge/create-git-forge";
import { createGitLabReplica } from "../gitlab/create-gitlab-replica";
import { sendText } from "../http-responses";
import { createRockyReplica } from "../rocky/create-rocky-replica";
import type { Clock } from "../scenario-clock";
import type { ScenarioTimeline } from "../scenarios/june-2023";
import type { SimulatorReplica } from "../simulator-replica";
import { createOracleReplica } from "../yum/create-oracle-replica";

const CSAF_PREFIX = "/csaf/v2/advisories/";

export const SCALE_MIRROR_REPLICAS = ["git-forge", "oracle", "almalinux", "rocky", "gitlab"] as const;
export type ScaleMirrorReplica = (typeof SCALE_MIRROR_REPLICAS)[number];
export type ScaleRoute = "csaf" | ScaleMirrorReplica | "other";

/** What the simulator answered, per route: the request log a benchmark checks the poll's own counters against. */
export type ScaleRequestLog = Record<ScaleRoute, { requests: number; notModified: number }>;

export interface ScaleSimulator {
  url: string;
  csafBaseUrl: string;
  requestLog(): ScaleRequestLog;
  resetRequestLog(): void;
  close(): Promise<void>;
}

function createEmptyLog(): ScaleRequestLog {
  const routes: ScaleRoute[] = ["csaf", ...SCALE_MIRROR_REPLICAS, "other"];
  return Object.fromEntries(routes.map((route) => [route, { requests: 0, notModified: 0 }])) as ScaleRequestLog;
}

/**
 * The simulator's own replicas serving a generated catalogue (simulator/scale/generate-scale-catalogue.ts): the CSAF
 * feed under /csaf/v2/advisories/, and, as `replicas` asks, git.centos.org (/rpms, /api/0), Oracle (/oracle),
 * AlmaLinux (/almalinux), Rocky's Apollo (/rocky) and CentOS Stream's GitLab (/gitlab), all as seen at `clock.now()`.
 */
export async function startScaleSimulator(options: {
  timeline: ScenarioTimeline;
  clock: Clock;
  /** Where the git object store and the forge's repositories are written (needed with "git-forge"). */
  dataDir: string;
  replicas?: readonly ScaleMirrorReplica[];
}): Promise<ScaleSimulator> {
  const { timeline, clock } = options;
  const wanted = new Set(options.replicas ?? SCALE_MIRROR_REPLICAS);
  const feed = createCsafFeed({ timeline, clock });
  let forge: GitForge | null = null;
  if (wanted.has("git-forge")) {
    const store = await buildForgeStore({ packages: timeline.packages, dataDir: options.dataDir });
    forge = await createGitForge({ store, clock, dataDir: options.dataDir });
  }
  const replicas: Array<[ScaleMirrorReplica, SimulatorReplica]> = [];
  if (wanted.has("oracle")) replicas.push(["oracle", createOracleReplica({ timeline, clock, basePath: "/oracle" })]);
  if (wanted.has("almalinux")) replicas.push(["almalinux", createAlmaLinuxReplica({ timeline, clock, basePath: "/almalinux" })]);
  if (wanted.has("rocky")) replicas.push(["rocky", createRockyReplica({ timeline, clock, basePath: "/rocky" })]);
  if (wanted.has("gitlab")) replicas.push(["gitlab", createGitLabReplica({ timeline, clock, basePath: "/gitlab" })]);
  let log = createEmptyLog();

  const route = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL, pathname: string): Promise<ScaleRoute> => {
    if (pathname.startsWith(CSAF_PREFIX)) {
      feed.handle(request, response, pathname.slice(CSAF_PREFIX.length), null);
      return "csaf";
    }
    if (forge && forge.getPathKind(pathname) !== "forge-other") {
      await forge.handle(request, response, url, null);
      return "git-forge";
    }
    for (const [name, replica] of replicas) if (await replica.handle(request, response, pathname)) return name;
    sendText(response, 404, "Not found\n");
    return "other";
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return sendText(response, 400, "Bad request\n");
    }
    response.setHeader("Date", clock.now().toUTCString());
    route(request, response, url, pathname)
      .then((name) => {
        log[name].requests++;
        if (response.statusCode === 304) log[name].notModified++;
      })
      .catch((error: Error) => {
        if (!response.headersSent) sendText(response, 500, `simulator error: ${error.message}\n`);
        else response.destroy(error);
      });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    csafBaseUrl: `${url}${CSAF_PREFIX}`,
    requestLog: () => structuredClone(log),
    resetRequestLog: () => {
      log = createEmptyLog();
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await forge?.close();
    },
  };
}
