import "server-only";

import { formatNevra } from "../../core/nevra";
import { getDb } from "../db/client";
import { buildPackageNamePrefilter, canBePartOfPackageName, isPackageNameMatch } from "./find-package-names-containing";
import { isIdText } from "./is-id-text";
import { parseSearchText } from "./parse-search-text";
import type { SearchAdvisoryHit, SearchNevraHit, SearchPackageHit, SearchResponse } from "../../contract/search-dto";
import { toSearchAdvisoryHit } from "./to-advisory-dto";

const MAX_HITS = 50;

const advisorySelect = { id: true, type: true, severity: true, title: true, issuedAt: true, cves: true } as const;

async function findPackagesByName(text: string, exactName?: string): Promise<SearchPackageHit[]> {
  if (!exactName && !canBePartOfPackageName(text)) return [];
  const needle = text.toLowerCase();
  const groups = await getDb().package.groupBy({
    by: ["name", "major"],
    where: exactName ? { name: exactName } : buildPackageNamePrefilter(text),
    _count: { _all: true },
  });
  const byName = new Map<string, SearchPackageHit>();
  for (const group of groups) {
    if (!exactName && !isPackageNameMatch(group.name, text)) continue;
    const hit = byName.get(group.name) ?? { name: group.name, advisoryCount: 0, majors: [] };
    hit.advisoryCount += group._count._all;
    hit.majors = [...hit.majors, group.major].sort((a, b) => a - b);
    byName.set(group.name, hit);
  }
  // Exact name first, then names that start with the text, then the rest.
  const rank = (name: string) => (name.toLowerCase() === needle ? 0 : name.toLowerCase().startsWith(needle) ? 1 : 2);
  return [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name)).slice(0, MAX_HITS);
}

/** Advisory id (any spelling), CVE, package name or NEVRA → the advisories, packages and builds it names. */
export async function search(q: string, input: { now: Date }): Promise<SearchResponse> {
  const db = getDb();
  const term = parseSearchText(q) ?? { kind: "text" as const, text: q.trim() };
  let advisories: SearchAdvisoryHit[] = [];
  let packages: SearchPackageHit[] = [];
  let nevras: SearchNevraHit[] = [];

  switch (term.kind) {
    case "advisory": {
      const advisory = await db.advisory.findUnique({ where: { id: term.id }, select: advisorySelect });
      advisories = advisory ? [toSearchAdvisoryHit(advisory, "id")] : [];
      break;
    }
    case "advisory_number": {
      const found = await db.advisory.findMany({
        where: { id: { endsWith: term.suffix } },
        select: advisorySelect,
        orderBy: { id: "asc" },
        take: MAX_HITS,
      });
      advisories = found.map((advisory) => toSearchAdvisoryHit(advisory, "id"));
      break;
    }
    case "cve": {
      const found = await db.advisory.findMany({
        where: { cves: { contains: term.cve } },
        select: advisorySelect,
        orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
      });
      // `contains` also finds CVE-2023-12345 for CVE-2023-1234.
      advisories = found
        .filter((advisory) => advisory.cves.split(" ").includes(term.cve))
        .slice(0, MAX_HITS)
        .map((advisory) => toSearchAdvisoryHit(advisory, "cve"));
      break;
    }
    case "nevra": {
      const found = await db.package.findMany({
        where: { name: term.name, version: term.version, release: term.release, ...(term.epoch === null ? {} : { epoch: term.epoch }) },
        include: { advisory: { select: { issuedAt: true } } },
        orderBy: [{ advisory: { issuedAt: "desc" } }, { major: "asc" }],
        take: MAX_HITS,
      });
      nevras = found.map((pkg) => ({
        nevra: formatNevra(pkg),
        name: pkg.name,
        major: pkg.major,
        stream: pkg.stream,
        advisoryId: pkg.advisoryId,
        issuedAt: pkg.advisory.issuedAt.toISOString(),
      }));
      packages = await findPackagesByName(term.name, term.name);
      break;
    }
    case "text": {
      const [found, byName] = await Promise.all([
        term.text.length >= 4 && isIdText(term.text)
          ? db.advisory.findMany({
              where: { id: { contains: term.text.toUpperCase() } },
              select: advisorySelect,
              orderBy: { issuedAt: "desc" },
              take: MAX_HITS,
            })
          : Promise.resolve([]),
        findPackagesByName(term.text),
      ]);
      advisories = found.map((advisory) => toSearchAdvisoryHit(advisory, "id"));
      packages = byName;
      break;
    }
  }

  const namesAnAdvisory = term.kind === "advisory" || term.kind === "advisory_number" || term.kind === "cve";
  const nevraAdvisories = new Set(nevras.map((hit) => hit.advisoryId));
  const exactAdvisoryId =
    namesAnAdvisory && advisories.length === 1
      ? advisories[0].id
      : term.kind === "nevra" && nevraAdvisories.size === 1
        ? [...nevraAdvisories][0]
        : null;
  return { now: input.now.toISOString(), q: q.trim(), matchKind: term.kind, advisories, packages, nevras, exactAdvisoryId };
}
