import { createHash } from "node:crypto";
import type http from "node:http";
import { findDistStream } from "../../core/nevra";
import { escapeHtml, sendJson, sendText } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ScenarioTimeline } from "../scenarios/june-2023";
import { computeMirrorPublications, type MirrorPublication } from "../scenarios/mirror-publications";
import type { SimulatorReplica } from "../simulator-replica";

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;
const ARCHES = ["x86_64", "aarch64"];
const KIND_BY_PREFIX: Record<string, string> = { RLSA: "Security", RLBA: "Bug Fix", RLEA: "Enhancement" };

export interface RockyRateLimit {
  requests: number;
  windowMs: number;
}

export interface RockyReplica extends SimulatorReplica {
  /** null lifts the limit. */
  setRateLimit(limit: RockyRateLimit | null): void;
  stats(): { requests: number; rateLimited: number };
}

interface AdvisoryFacts {
  severity: string;
  title: string | null;
  cves: string[];
}

interface VisibleAdvisory {
  id: number;
  name: string;
  publishedAt: Date;
  items: MirrorPublication[];
}

/** Apollo writes `2025-11-27T09:11:22.820964+00:00`. */
function formatApolloTime(date: Date): string {
  return date.toISOString().replace("Z", "000+00:00");
}

function buildAdvisory(advisory: VisibleAdvisory, facts: AdvisoryFacts | undefined) {
  const majors = [...new Set(advisory.items.map((item) => item.major))].sort((a, b) => a - b);
  const kind = KIND_BY_PREFIX[advisory.name.slice(0, 4)] ?? "Security";
  const severity = kind === "Security" ? (facts?.severity ?? "Moderate") : "None";
  const title = facts?.title ?? `${advisory.items.map((item) => item.name).join(", ")} update`;
  const productName = (major: number, arch: string) => `Rocky Linux ${major} ${arch}`;
  const time = formatApolloTime(advisory.publishedAt);
  let packageId = advisory.id * 1000;
  return {
    id: advisory.id,
    created_at: time,
    updated_at: time,
    published_at: time,
    name: advisory.name,
    synopsis: kind === "Security" ? `${severity}: ${title}` : title,
    description: `Rocky Linux rebuild of ${advisory.items[0].source.advisoryId}.`,
    kind,
    severity,
    topic: `An update is available for ${advisory.items.map((item) => item.name).join(", ")}.\nThis update affects ${majors.map((major) => `Rocky Linux ${major}`).join(", ")}.`,
    red_hat_advisory_id: advisory.id,
    affected_products: majors.flatMap((major) =>
      ARCHES.map((arch, index) => {
        const minor = /^el\d+_(\d+)$/.exec(findDistStream(advisory.items.find((item) => item.major === major)!.release) ?? "")?.[1];
        return {
          id: major * 100 + index,
          variant: "Rocky Linux",
          name: productName(major, arch),
          major_version: major,
          minor_version: minor === undefined ? null : Number(minor),
          arch,
        };
      }),
    ),
    cves: (facts?.cves ?? []).map((cve, index) => ({
      id: advisory.id * 100 + index,
      cve,
      cvss3_scoring_vector: "UNKNOWN",
      cvss3_base_score: "UNKNOWN",
      cwe: "UNKNOWN",
    })),
    fixes: [],
    packages: advisory.items.flatMap((item) => {
      const nevra = (arch: string) => `${item.name}-${item.epoch}:${item.version}-${item.release}.${arch}.rpm`;
      return ARCHES.flatMap((arch) =>
        ["src", arch].map((packageArch) => ({
          id: packageId++,
          nevra: nevra(packageArch),
          checksum: createHash("sha256")
            .update(`rocky/${nevra(packageArch)}/${arch}`)
            .digest("hex"),
          checksum_type: "sha256",
          module_context: null,
          module_name: null,
          module_stream: null,
          module_version: null,
          repo_name: "BaseOS",
          product_name: productName(item.major, arch),
        })),
      );
    }),
  };
}

/**
 * Rocky's Apollo: `<basePath>/api/v3/advisories/?page=&size=[&after_raw=&before_raw=]` (newest `published_at` first,
 * published strictly after / before the given instants as distro-tools#38 made them, Apollo's envelope and
 * root-relative links keeping the filters) from `computeMirrorPublications(timeline, "rocky")` published by `clock.now()`, and erratum pages
 * `<basePath>/<RLSA-2023_3722>`. Over the rate limit (counted on `rateLimitNow`, default real time, because clients wait
 * out Retry-After in real time) API requests get 429 with Retry-After in seconds.
 */
export function createRockyReplica(options: {
  timeline: ScenarioTimeline;
  clock: Clock;
  /** e.g. "/rocky" */
  basePath: string;
  rateLimit?: RockyRateLimit;
  rateLimitNow?: () => number;
}): RockyReplica {
  const { clock } = options;
  const basePath = options.basePath.replace(/\/+$/, "");
  const rateLimitNow = options.rateLimitNow ?? Date.now;
  const publications = computeMirrorPublications(options.timeline, "rocky");
  const idByName = new Map<string, number>();
  for (const publication of publications) {
    if (publication.erratumId && !idByName.has(publication.erratumId)) idByName.set(publication.erratumId, idByName.size + 1);
  }
  const factsByAdvisory = new Map<string, AdvisoryFacts>();
  for (const release of options.timeline.releases) {
    const record = release.records[0];
    factsByAdvisory.set(release.advisoryId, { severity: record.severity, title: record.title, cves: record.cves });
  }
  let rateLimit = options.rateLimit ?? null;
  let acceptedAtMs: number[] = [];
  const counters = { requests: 0, rateLimited: 0 };

  const listVisibleAdvisories = (): VisibleAdvisory[] => {
    const nowMs = clock.now().getTime();
    const byName = new Map<string, MirrorPublication[]>();
    for (const publication of publications) {
      if (!publication.erratumId || publication.publishedAt.getTime() > nowMs) continue;
      byName.set(publication.erratumId, [...(byName.get(publication.erratumId) ?? []), publication]);
    }
    return [...byName]
      .map(([name, items]) => ({
        id: idByName.get(name)!,
        name,
        items,
        publishedAt: new Date(Math.max(...items.map((item) => item.publishedAt.getTime()))),
      }))
      .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.name.localeCompare(a.name));
  };

  /** A sliding window of accepted requests; the answer says when the oldest one leaves it. */
  const findRetryAfterSeconds = (): number | null => {
    if (!rateLimit) return null;
    const nowMs = rateLimitNow();
    acceptedAtMs = acceptedAtMs.filter((atMs) => atMs > nowMs - rateLimit!.windowMs);
    if (acceptedAtMs.length < rateLimit.requests) {
      acceptedAtMs.push(nowMs);
      return null;
    }
    return Math.max(1, Math.ceil((acceptedAtMs[0] + rateLimit.windowMs - nowMs) / 1000));
  };

  const apiPath = `${basePath}/api/v3/advisories`;
  const erratumPage = new RegExp(`^${escapeRegExp(basePath)}/(RL[SBE]A-\\d{4}_\\d+)$`);

  const sendAdvisoriesPage = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const query = new URL(request.url ?? "/", "http://127.0.0.1").searchParams;
    const page = Number(query.get("page") ?? 1);
    const size = Number(query.get("size") ?? DEFAULT_PAGE_SIZE);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      return sendJson(response, 422, {
        detail: [{ loc: ["query", "page|size"], msg: `page ≥ 1 and 1 ≤ size ≤ ${MAX_PAGE_SIZE}`, type: "value_error" }],
      });
    }
    const bounds: Partial<Record<"before_raw" | "after_raw", number>> = {};
    for (const [field, name] of [
      ["before_raw", "before"],
      ["after_raw", "after"],
    ] as const) {
      const raw = query.get(field);
      if (raw === null) continue;
      const microseconds = parseApolloDate(raw);
      if (microseconds === null) return sendJson(response, 400, { detail: `Invalid ${name} date` });
      bounds[field] = microseconds;
    }
    const visible = listVisibleAdvisories();
    const advisories = visible.filter((advisory) => {
      const publishedMicroseconds = advisory.publishedAt.getTime() * 1000;
      return (
        (bounds.before_raw === undefined || publishedMicroseconds < bounds.before_raw) &&
        (bounds.after_raw === undefined || publishedMicroseconds > bounds.after_raw)
      );
    });
    const pageAdvisories = advisories.slice((page - 1) * size, page * size);
    // Apollo counts with `count(*) over ()` on the page's own rows: a page past the end says total 0.
    const total = pageAdvisories.length === 0 ? 0 : advisories.length;
    const lastPage = Math.max(1, Math.ceil(total / size));
    const link = (n: number) => {
      const linkQuery = new URLSearchParams({ size: String(size), page: String(n) });
      for (const [key, value] of query) if (key !== "size" && key !== "page") linkQuery.append(key, value);
      return `${apiPath}/?${linkQuery}`;
    };
    sendJson(response, 200, {
      advisories: pageAdvisories.map((advisory) => buildAdvisory(advisory, factsByAdvisory.get(advisory.items[0].source.advisoryId))),
      total,
      page,
      size,
      links: {
        first: link(1),
        last: link(lastPage),
        self: link(page),
        next: page < lastPage ? link(page + 1) : null,
        prev: page > 1 ? link(page - 1) : null,
      },
      last_updated_at: visible.length ? `${visible[0].publishedAt.toISOString().slice(0, 19)}Z` : null,
    });
  };

  return {
    setRateLimit: (limit) => {
      rateLimit = limit;
      acceptedAtMs = [];
    },
    stats: () => ({ ...counters }),
    handle(request, response, pathname) {
      const pageMatch = erratumPage.exec(pathname);
      if (pathname !== apiPath && pathname !== `${apiPath}/` && !pageMatch) return false;
      counters.requests++;
      if (!pageMatch) {
        const retryAfterSeconds = findRetryAfterSeconds();
        if (retryAfterSeconds !== null) {
          counters.rateLimited++;
          response.setHeader("Retry-After", String(retryAfterSeconds));
          sendJson(response, 429, { detail: "Too Many Requests" });
          return true;
        }
        sendAdvisoriesPage(request, response);
        return true;
      }
      const name = pageMatch[1].replace("_", ":");
      const advisory = listVisibleAdvisories().find((candidate) => candidate.name === name);
      if (!advisory) {
        sendText(response, 404, "<html><body><h1>Advisory not found</h1></body></html>\n", "text/html; charset=utf-8");
        return true;
      }
      const rows = advisory.items.map((item) => `<li>${escapeHtml(`${item.nvr}.src.rpm`)}</li>`).join("");
      sendText(
        response,
        200,
        `<!DOCTYPE html><html><head><title>${escapeHtml(name)}</title></head><body><h1>${escapeHtml(name)}</h1>` +
          `<p>Published ${advisory.publishedAt.toISOString()}</p><ul>${rows}</ul></body></html>\n`,
        "text/html; charset=utf-8",
      );
      return true;
    },
  };
}

const APOLLO_DATE = /^(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d(?::\d\d)?)(?:\.(\d{1,6}))?)?([+-]\d\d:\d\d)?$/;

/**
 * Apollo's `before_raw` / `after_raw`: Python's `datetime.fromisoformat(raw.removesuffix("Z"))`, compared as a UTC
 * timestamp to the microsecond. Null when Python would refuse it (Apollo then answers 400).
 */
function parseApolloDate(raw: string): number | null {
  const match = APOLLO_DATE.exec(raw.endsWith("Z") ? raw.slice(0, -1) : raw);
  if (!match) return null;
  const [, date, time = "00:00:00", fraction = "", offset = "Z"] = match;
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  return Number.isNaN(ms) ? null : ms * 1000 + Number(fraction.padEnd(6, "0"));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
