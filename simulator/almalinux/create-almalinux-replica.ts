import { createHash } from "node:crypto";
import { createStaticFile, escapeHtml, sendStaticFile, sendText, type StaticFile } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ScenarioTimeline } from "../scenarios/june-2023";
import { computeMirrorPublications, type MirrorPublication } from "../scenarios/mirror-publications";
import type { SimulatorReplica } from "../simulator-replica";

const DAY_MS = 86_400_000;
const BINARY_ARCHES = ["x86_64", "aarch64"];

export interface AlmaLinuxReplica extends SimulatorReplica {
  stats(): { requests: number; notModified: number };
}

interface AdvisoryFacts {
  type: string;
  severity: string;
  title: string | null;
  cves: string[];
}

/** Errata visible at `now`: an erratum shows the packages published so far; its updated_date is the latest of them. */
function groupVisibleErrata(publications: MirrorPublication[], major: number, nowMs: number) {
  const byId = new Map<string, MirrorPublication[]>();
  for (const publication of publications) {
    if (publication.major !== major || publication.publishedAt.getTime() > nowMs || !publication.erratumId) continue;
    byId.set(publication.erratumId, [...(byId.get(publication.erratumId) ?? []), publication]);
  }
  return [...byId].map(([id, items]) => ({ id, items, updatedAt: new Date(Math.max(...items.map((item) => item.publishedAt.getTime()))) }));
}

function buildErratumEntry(id: string, items: MirrorPublication[], updatedAt: Date, major: number, facts: AdvisoryFacts | undefined) {
  const source = items[0].source;
  const releaseDayMs = Math.floor(source.releasedAt.getTime() / DAY_MS) * DAY_MS;
  const severity = facts?.type === "security" ? facts.severity : "None";
  const title = facts?.title ?? `${items.map((item) => item.name).join(", ")} update`;
  return {
    id,
    issued_date: releaseDayMs / 1000,
    updated_date: Math.floor(updatedAt.getTime() / 1000),
    severity,
    title: facts?.type === "security" ? `${severity}: ${title}` : title,
    description: `AlmaLinux ${major} rebuild of ${source.advisoryId}.`,
    type: facts?.type ?? "security",
    packages: items.flatMap((item) =>
      BINARY_ARCHES.map((arch) => ({
        name: item.name,
        epoch: String(item.epoch),
        version: item.version,
        release: item.release,
        arch,
        src: `${item.nvr}.src.rpm`,
        filename: `${item.nvr}.${arch}.rpm`,
        checksum: createHash("sha256").update(`almalinux/${item.nvr}.${arch}`).digest("hex"),
        checksum_type: "sha256",
        reboot_suggested: 0,
      })),
    ),
    modules: [],
    references: [
      { id: source.advisoryId, type: "rhsa", href: `https://access.redhat.com/errata/${source.advisoryId}` },
      ...(facts?.cves ?? []).map((cve) => ({ id: cve, type: "cve", href: `https://www.cve.org/CVERecord?id=${cve}` })),
      { id: id.replace(":", "-"), type: "self", href: `https://errata.almalinux.org/${major}/${id.replace(":", "-")}.html` },
    ],
  };
}

/**
 * errata.almalinux.org: `<basePath>/<major>/errata.full.json` (ETag, Last-Modified, 304, gzip) with the errata of
 * `computeMirrorPublications(timeline, "almalinux")` published by `clock.now()`, and `<basePath>/<major>/<ALSA-2023_3722>.html`.
 */
export function createAlmaLinuxReplica(options: {
  timeline: ScenarioTimeline;
  clock: Clock;
  basePath: string;
  majors?: number[];
}): AlmaLinuxReplica {
  const { clock } = options;
  const basePath = options.basePath.replace(/\/+$/, "");
  const majors = options.majors ?? [8, 9];
  const publications = computeMirrorPublications(options.timeline, "almalinux");
  const factsByAdvisory = new Map<string, AdvisoryFacts>();
  for (const release of options.timeline.releases) {
    const record = release.records[0];
    factsByAdvisory.set(release.advisoryId, { type: record.type, severity: record.severity, title: record.title, cves: record.cves });
  }
  const cachedFiles = new Map<number, { visibleCount: number; file: StaticFile }>();
  const counters = { requests: 0, notModified: 0 };

  const getErrataFile = (major: number): StaticFile => {
    const nowMs = clock.now().getTime();
    const visible = publications.filter((publication) => publication.major === major && publication.publishedAt.getTime() <= nowMs);
    const cached = cachedFiles.get(major);
    if (cached && cached.visibleCount === visible.length) return cached.file;
    const errata = groupVisibleErrata(publications, major, nowMs)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.id.localeCompare(b.id))
      .map(({ id, items, updatedAt }) => buildErratumEntry(id, items, updatedAt, major, factsByAdvisory.get(items[0].source.advisoryId)));
    const lastModified = visible.length ? visible[visible.length - 1].publishedAt : new Date(0);
    const file = createStaticFile(JSON.stringify({ schema_version: "1.0", data: errata }), "application/json", lastModified);
    cachedFiles.set(major, { visibleCount: visible.length, file });
    return file;
  };

  const errataPath = new RegExp(`^${escapeRegExp(basePath)}/(\\d+)/errata\\.full\\.json$`);
  const erratumPage = new RegExp(`^${escapeRegExp(basePath)}/(\\d+)/(AL[SBE]A-\\d{4}_\\d+)\\.html$`);

  return {
    stats: () => ({ ...counters }),
    handle(request, response, pathname) {
      const errataMatch = errataPath.exec(pathname);
      const pageMatch = erratumPage.exec(pathname);
      if (!errataMatch && !pageMatch) return false;
      counters.requests++;
      const major = Number((errataMatch ?? pageMatch)![1]);
      if (!majors.includes(major)) {
        sendText(response, 404, "<html><body><h1>404 Not Found</h1></body></html>\n", "text/html; charset=utf-8");
        return true;
      }
      if (errataMatch) {
        if (sendStaticFile(request, response, getErrataFile(major))) counters.notModified++;
        return true;
      }
      const id = pageMatch![2].replace("_", ":");
      const erratum = groupVisibleErrata(publications, major, clock.now().getTime()).find((candidate) => candidate.id === id);
      if (!erratum) {
        sendText(response, 404, "<html><body><h1>404 Not Found</h1></body></html>\n", "text/html; charset=utf-8");
        return true;
      }
      const rows = erratum.items.map((item) => `<li>${escapeHtml(item.nvr)}.src.rpm</li>`).join("");
      sendText(
        response,
        200,
        `<!DOCTYPE html><html><head><title>${escapeHtml(id)}</title></head><body><h1>${escapeHtml(id)}</h1>` +
          `<p>AlmaLinux ${major}, updated ${erratum.updatedAt.toISOString()}</p><ul>${rows}</ul></body></html>\n`,
        "text/html; charset=utf-8",
      );
      return true;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
