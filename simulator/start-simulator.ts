import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createCsafFeed, type CsafPathKind } from "./csaf/create-csaf-feed";
import { FaultRequest, streamOversizedBody, type BodyFormat, type Fault, type FaultTarget } from "./faults";
import { buildForgeStore } from "./git-forge/build-forge-store";
import { createGitForge, type ForgePathKind, type GitForge } from "./git-forge/create-git-forge";
import { escapeHtml, sendJson, sendText } from "./http-responses";
import type { Clock } from "./scenario-clock";
import { createJune2023Timeline, type ScenarioTimeline } from "./scenarios/june-2023";
import { createAlmaLinuxReplica, type AlmaLinuxReplica } from "./almalinux/create-almalinux-replica";
import { createGitLabReplica, type GitLabReplica } from "./gitlab/create-gitlab-replica";
import { createOpenElaReplica, type OpenElaReplica } from "./openela/create-openela-replica";
import { createRockyReplica, type RockyReplica } from "./rocky/create-rocky-replica";
import type { CaughtMail, MailCatcher } from "./mail/start-mail-catcher";
import type { SimulatorReplica } from "./simulator-replica";
import { createOracleReplica } from "./yum/create-oracle-replica";
import { createHostileYumRepository } from "./yum/create-hostile-yum-repository";

const CSAF_PREFIX = "/csaf/v2/advisories/";

export type SimulatorPathKind =
  CsafPathKind | ForgePathKind | "control" | "other" | "almalinux" | "rocky" | "gitlab" | "openela" | "oracle";

export interface SimulatorStats {
  requests: Partial<Record<SimulatorPathKind, number>>;
  total: number;
  /** Answers 304 Not Modified. */
  notModified: number;
  /** Requests that arrived while a fault was set for their target (and matched its `pathIncludes`). */
  faulted: number;
}

export interface StartSimulatorOptions {
  scenario: "june-2023";
  clock: Clock;
  /** 0 (default) picks a free port. */
  port?: number;
  /** When git.centos.org stops importing; null = never. Default 2023-06-14T00:00:00Z. */
  cutoff?: string | null;
  /** The "resume" variant: git.centos.org imports again from then on, the backlog first; null/absent = never. */
  resumeAt?: string | null;
  /** Where the git object store is built (and cached across starts) and each simulator's repositories live. */
  dataDir: string;
  /** The demo's mail catcher: its messages are listed at /_sim/mail (JSON, `?to=` filters by recipient) and /_sim/mail.html. */
  mailbox?: Pick<MailCatcher, "messages" | "port">;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  /** e.g. http://127.0.0.1:4010/csaf/v2/advisories/ */
  csafBaseUrl: string;
  /** e.g. http://127.0.0.1:4010/rpms — repositories are `${gitBaseUrl}/<name>.git` */
  gitBaseUrl: string;
  /** e.g. http://127.0.0.1:4010/api/0 */
  pagureApiUrl: string;
  clock: Clock;
  timeline: ScenarioTimeline;
  /** The other public places, each under its own path: /almalinux, /rocky, /gitlab (CentOS Stream), /openela, /oracle. */
  replicas: { almalinux: AlmaLinuxReplica; rocky: RockyReplica; gitlab: GitLabReplica; openela: OpenElaReplica; oracle: SimulatorReplica };
  /** git.centos.org's git requests by kind (info/refs, ls-refs, fetch). */
  gitForgeStats: GitForge["stats"];
  setFault(target: FaultTarget, fault: Fault | null): void;
  getFault(target: FaultTarget): Fault | null;
  stats(): SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

function getBodyFormat(kind: SimulatorPathKind): BodyFormat {
  if (kind === "csaf-document" || kind === "pagure-tags" || kind === "pagure-commit") return "json";
  if (kind === "csaf-changes" || kind === "csaf-deletions") return "csv";
  return "text";
}

async function readJsonBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** Offline replicas of Red Hat's CSAF feed and of git.centos.org (git + Pagure API), replaying a scenario on `clock`. */
export async function startSimulator(options: StartSimulatorOptions): Promise<Simulator> {
  const { clock } = options;
  const timeline = createJune2023Timeline({ cutoff: options.cutoff, resumeAt: options.resumeAt });
  const store = await buildForgeStore({ packages: timeline.packages, dataDir: options.dataDir });
  const forge = await createGitForge({ store, clock, dataDir: options.dataDir });
  const feed = createCsafFeed({ timeline, clock });
  const replicas = {
    almalinux: createAlmaLinuxReplica({ timeline, clock, basePath: "/almalinux" }),
    rocky: createRockyReplica({ timeline, clock, basePath: "/rocky" }),
    gitlab: createGitLabReplica({ timeline, clock, basePath: "/gitlab" }),
    openela: await createOpenElaReplica({ timeline, clock, basePath: "/openela", dataDir: options.dataDir }),
    oracle: createOracleReplica({ timeline, clock, basePath: "/oracle" }),
  };
  const faults: Record<FaultTarget, Fault | null> = { csaf: null, git: null, yum: null };
  const hostileYum = createHostileYumRepository();
  let stats: SimulatorStats = { requests: {}, total: 0, notModified: 0, faulted: 0 };
  let baseUrl = "";

  const handleControl = async (request: http.IncomingMessage, response: http.ServerResponse, pathname: string) => {
    if (pathname === "/_sim/clock") return sendJson(response, 200, { now: clock.now().toISOString() });
    if (pathname === "/_sim/stats") return sendJson(response, 200, stats);
    if (pathname === "/_sim/mail" || pathname === "/_sim/mail.html") {
      if (!options.mailbox) return sendJson(response, 404, { error: "no mail catcher in this simulator" });
      const to = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("to")?.toLowerCase();
      const messages = options.mailbox.messages().filter((mail) => !to || mail.to.some((address) => address.toLowerCase() === to));
      if (pathname === "/_sim/mail")
        return sendJson(response, 200, { smtpPort: options.mailbox.port, messages: messages.map(({ raw: _raw, ...mail }) => mail) });
      return sendText(response, 200, renderMailboxPage(messages), "text/html; charset=utf-8");
    }
    if (pathname === "/_sim/faults" && request.method === "GET") return sendJson(response, 200, faults);
    if (pathname === "/_sim/faults" && request.method === "POST") {
      let body: unknown;
      try {
        body = await readJsonBody(request);
      } catch (error) {
        return sendJson(response, 400, { error: `invalid JSON: ${(error as Error).message}` });
      }
      const parsed = FaultRequest.safeParse(body);
      if (!parsed.success) return sendJson(response, 400, { error: "invalid fault", issues: parsed.error.issues });
      faults[parsed.data.target] = parsed.data.fault;
      return sendJson(response, 200, faults);
    }
    sendJson(response, 404, { error: "unknown control endpoint" });
  };

  const handleRequest = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return sendText(response, 400, "Bad request\n");
    }
    response.setHeader("Date", clock.now().toUTCString());
    const yumFault = faults.yum;
    if (
      (yumFault?.mode === "metadata-bomb" || yumFault?.mode === "unclosed-element") &&
      (!yumFault.pathIncludes || pathname.includes(yumFault.pathIncludes))
    ) {
      if (await hostileYum.handle(request, response, pathname, yumFault)) {
        stats.total++;
        stats.faulted++;
        return;
      }
    }
    for (const [name, replica] of Object.entries(replicas) as [keyof typeof replicas, (typeof replicas)[keyof typeof replicas]][]) {
      if (await replica.handle(request, response, pathname)) {
        stats.total++;
        stats.requests[name] = (stats.requests[name] ?? 0) + 1;
        return;
      }
    }
    const isCsaf = pathname.startsWith(CSAF_PREFIX);
    const forgeKind = forge.getPathKind(pathname);
    const kind: SimulatorPathKind = pathname.startsWith("/_sim/")
      ? "control"
      : isCsaf
        ? feed.getPathKind(pathname.slice(CSAF_PREFIX.length))
        : forgeKind !== "forge-other"
          ? forgeKind
          : "other";
    stats.total++;
    stats.requests[kind] = (stats.requests[kind] ?? 0) + 1;

    if (kind === "control") return handleControl(request, response, pathname);
    if (kind === "other") {
      if (pathname === "/") return sendText(response, 200, renderIndexPage(baseUrl), "text/html; charset=utf-8");
      return sendText(response, 404, "Not found\n");
    }

    const target: FaultTarget = isCsaf ? "csaf" : "git";
    const candidate = faults[target];
    const fault = candidate && (!candidate.pathIncludes || pathname.includes(candidate.pathIncludes)) ? candidate : null;
    if (fault) {
      stats.faulted++;
      switch (fault.mode) {
        case "down":
          request.socket.destroy();
          return;
        case "http-500":
          return sendText(response, 500, "<html><body><h1>500 Internal Server Error</h1></body></html>\n", "text/html");
        case "html-200":
          return sendText(
            response,
            200,
            "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>We'll be back soon</h1><p>The site is under maintenance.</p></body></html>\n",
            "text/html; charset=utf-8",
          );
        case "oversized":
          return streamOversizedBody(response, getBodyFormat(kind), fault.bytes);
        case "slow":
          await sleep(fault.delayMs);
          if (request.socket.destroyed) return;
          break;
        case "redirect":
          response.writeHead(fault.status ?? 302, { Location: fault.location, "Content-Length": "0" });
          return void response.end();
        case "body":
          return sendText(response, 200, fault.body, fault.contentType);
        case "truncated-json":
        case "invalid-purl":
        case "javascript-self-link":
        case "off-site-self-link":
        case "metadata-bomb":
        case "unclosed-element":
          break;
      }
    }

    if (isCsaf) {
      if (feed.handle(request, response, pathname.slice(CSAF_PREFIX.length), fault)) stats.notModified++;
      return;
    }
    await forge.handle(request, response, url, fault);
  };

  const server = http.createServer((request, response) => {
    handleRequest(request, response).catch((error: Error) => {
      if (!response.headersSent) sendText(response, 500, `simulator error: ${error.message}\n`);
      else response.destroy(error);
    });
  });
  // Node closes a keep-alive connection after 5 s idle; a client reusing it at that moment reads ECONNRESET
  // (seen once in the e2e mailbox check). Idle connections stay open longer than any test client keeps them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    csafBaseUrl: `${baseUrl}${CSAF_PREFIX}`,
    gitBaseUrl: `${baseUrl}/rpms`,
    pagureApiUrl: `${baseUrl}/api/0`,
    clock,
    timeline,
    replicas,
    gitForgeStats: forge.stats,
    setFault: (target, fault) => {
      faults[target] = fault;
    },
    getFault: (target) => faults[target],
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = { requests: {}, total: 0, notModified: 0, faulted: 0 };
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await forge.close();
      await replicas.openela.close();
    },
  };
}

function renderIndexPage(baseUrl: string): string {
  const links = [
    [`${CSAF_PREFIX}changes.csv`, "CSAF changes.csv"],
    [`${CSAF_PREFIX}deletions.csv`, "CSAF deletions.csv"],
    ["/_sim/clock", "scenario clock"],
    ["/_sim/faults", "faults"],
    ["/_sim/stats", "request counters"],
    ["/_sim/mail.html", "demo mailbox (mail the app sent)"],
  ];
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>srcwatch simulator</title></head><body>
<h1>srcwatch simulator</h1>
<p>Git repositories: <code>${escapeHtml(baseUrl)}/rpms/&lt;name&gt;.git</code>; Pagure API: <code>${escapeHtml(baseUrl)}/api/0</code></p>
<ul>${links.map(([href, label]) => `<li><a href="${href}">${label}</a></li>`).join("")}</ul>
</body></html>
`;
}

/** Plain-text mail with its http(s) links clickable, as a mail client shows them; everything else escaped. */
export function linkifyMailText(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    // A sentence's final period or a closing parenthesis is not part of the link.
    const url = match[0].replace(/[.,;:)]+$/, "");
    parts.push(escapeHtml(text.slice(last, match.index)), `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`);
    last = match.index + url.length;
  }
  parts.push(escapeHtml(text.slice(last)));
  return parts.join("");
}

function renderMailboxPage(messages: readonly Pick<CaughtMail, "to" | "subject" | "receivedAt" | "text">[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (mail) =>
        `<article><h2>${escapeHtml(mail.subject)}</h2><p>To ${escapeHtml(mail.to.join(", "))} — received ${escapeHtml(mail.receivedAt.toISOString())}</p><pre>${linkifyMailText(mail.text)}</pre></article>`,
    )
    .join("\n");
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>srcwatch demo mailbox</title></head><body>
<h1>Demo mailbox</h1><p>${messages.length} message(s), newest first. JSON: <a href="/_sim/mail">/_sim/mail</a></p>
${rows}
</body></html>
`;
}
