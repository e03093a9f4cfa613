import { z } from "zod";
import { chooseAdvisoryLink, DEFAULT_ADVISORY_LINKS, type AdvisoryLinkConfig } from "../../core/check-link";
import { distMajor } from "../../core/nevra";
import { SEVERITIES, type RhelStream, type Severity, type UpstreamAdvisory, type UpstreamPackage } from "../../core/types";
import { ADVISORY_TYPE_BY_PREFIX, RHEL_STREAM_BY_PRODUCT } from "../redhat-vocabulary";

const OsvEvent = z.object({ introduced: z.string().optional(), fixed: z.string().optional() });

const OsvAffected = z.object({
  package: z.object({ name: z.string().min(1), ecosystem: z.string().min(1), purl: z.string().optional() }),
  ranges: z.array(z.object({ type: z.string(), events: z.array(OsvEvent) })).default([]),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

/** A Red Hat OSV record (security.access.redhat.com/data/osv/<ID>.json): the fields we read. */
export const OsvAdvisory = z.object({
  id: z.string().regex(/^RH[SBE]A-\d{4}:\d+$/, "a Red Hat advisory id (RHSA/RHBA/RHEA-YYYY:NNNN)"),
  summary: z.string().optional(),
  published: z.iso.datetime({ offset: true }),
  modified: z.iso.datetime({ offset: true }),
  related: z.array(z.string()).default([]),
  aliases: z.array(z.string()).default([]),
  references: z.array(z.object({ type: z.string(), url: z.string() })).default([]),
  affected: z.array(OsvAffected),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});
export type OsvAdvisory = z.infer<typeof OsvAdvisory>;

export type ParseOsvAdvisoryResult =
  | { ok: true; advisory: UpstreamAdvisory | null; refusedUrl?: string }
  | { ok: false; error: { kind: "parse" | "invalid_data"; message: string } };

/** `Red Hat:rhel_eus:9.2::appstream`, `Red Hat:enterprise_linux:9::appstream`; other Red Hat products do not match. */
const RHEL_ECOSYSTEM = /^Red Hat:([a-z0-9_]+):(\d+)(?:\.(\d+))?(?::|$)/;
/** Red Hat always writes the epoch: `2:4.4.1-21.el9_2`. */
const FIXED_EVR = /^(\d+):([^-:\s]+)-([^-:\s]+)$/;

interface BinaryFix {
  binaryName: string;
  major: number;
  minor: string | null;
  stream: RhelStream;
  epoch: number;
  version: string;
  release: string;
  moduleStream: string | null;
}

/**
 * One Red Hat OSV record → the source packages it ships for the wanted RHEL majors; null when it ships none
 * (other products, such as OpenShift's `Red Hat:ocp_tools:4.15::el9`).
 *
 * OSV lists one `affected` entry per binary package and never names the source package, so the source packages are
 * derived: binaries with the same product and fixed EVR form one build; its name is the one the summary names
 * ("…: linux-firmware bug fix update"), else the member that prefixes all others (podman, podman-docker…), else the
 * shortest. When the summary names any build, builds it does not name are dropped: they are subpackages with a
 * version of their own (linux-firmware's iwl*-firmware, kernel's bpftool).
 */
export function parseOsvAdvisory(json: unknown, options: { majors: number[]; links?: AdvisoryLinkConfig }): ParseOsvAdvisoryResult {
  const parsed = OsvAdvisory.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: { kind: "invalid_data", message: `not a Red Hat OSV record: ${issue.path.join(".") || "(root)"}: ${issue.message}` },
    };
  }
  const record = parsed.data;

  const fixes: BinaryFix[] = [];
  for (const affected of record.affected) {
    const product = RHEL_ECOSYSTEM.exec(affected.package.ecosystem);
    const stream = product ? RHEL_STREAM_BY_PRODUCT[product[1]] : undefined;
    if (!product || !stream) continue;
    const major = Number(product[2]);
    if (!options.majors.includes(major)) continue;
    for (const event of affected.ranges.flatMap((range) => range.events)) {
      if (event.fixed === undefined) continue;
      const evr = FIXED_EVR.exec(event.fixed);
      if (!evr)
        return {
          ok: false,
          error: {
            kind: "invalid_data",
            message: `${record.id}: a fixed version of affected package #${record.affected.indexOf(affected) + 1} is not epoch:version-release`,
          },
        };
      const releaseMajor = distMajor(evr[3]);
      if (releaseMajor !== null && releaseMajor !== major) continue;
      fixes.push({
        binaryName: affected.package.name,
        major,
        minor: product[3] === undefined ? null : `${major}.${product[3]}`,
        stream,
        epoch: Number(evr[1]),
        version: evr[2],
        release: evr[3],
        moduleStream: findModuleStream(affected.package.purl),
      });
    }
  }

  const packages = deriveSourcePackages(fixes, record.summary ?? "");
  if (packages.length === 0) return { ok: true, advisory: null };

  const errataUrl = record.references.find((reference) => reference.url.includes("/errata/"))?.url;
  const link = chooseAdvisoryLink(record.id, errataUrl, options.links ?? DEFAULT_ADVISORY_LINKS);
  const cves = [...new Set([...record.aliases, ...record.related].filter((id) => /^CVE-\d{4}-\d+$/.test(id)))];
  return {
    ok: true,
    advisory: {
      id: record.id,
      type: ADVISORY_TYPE_BY_PREFIX[record.id.slice(0, 4)],
      severity: findSeverity(record),
      title: record.summary ?? null,
      issuedAt: new Date(record.published),
      updatedAt: new Date(record.modified),
      url: link.url,
      cves,
      packages,
    },
    ...(link.refusedUrl === null ? {} : { refusedUrl: link.refusedUrl }),
  };
}

function deriveSourcePackages(fixes: BinaryFix[], summary: string): UpstreamPackage[] {
  const groups = new Map<string, BinaryFix[]>();
  for (const fix of fixes) {
    const key = [fix.major, fix.minor, fix.stream, fix.epoch, fix.version, fix.release, fix.moduleStream].join(" ");
    groups.set(key, [...(groups.get(key) ?? []), fix]);
  }
  const summaryWords = new Set(summary.split(/[\s,:()]+/).filter(Boolean));
  const builds = [...groups.values()].map((members) => {
    const names = [...new Set(members.map((member) => member.binaryName))].sort((a, b) => a.length - b.length || a.localeCompare(b));
    const namedInSummary = names.find((name) => summaryWords.has(name));
    const prefixOfAll = names.find((candidate) => names.every((name) => name === candidate || name.startsWith(`${candidate}-`)));
    return { fix: members[0], name: namedInSummary ?? prefixOfAll ?? names[0], isNamedInSummary: namedInSummary !== undefined };
  });
  const isAnyNamed = builds.some((build) => build.isNamedInSummary);

  const packages = new Map<string, UpstreamPackage>();
  for (const { fix, name, isNamedInSummary } of builds) {
    if (isAnyNamed && !isNamedInSummary) continue;
    const key = [name, fix.epoch, fix.version, fix.release, fix.major, fix.stream].join(" ");
    if (packages.has(key)) continue;
    packages.set(key, {
      name,
      epoch: fix.epoch,
      version: fix.version,
      release: fix.release,
      major: fix.major,
      minor: fix.minor,
      stream: fix.stream,
      moduleStream: fix.moduleStream,
    });
  }
  return [...packages.values()];
}

/** `pkg:rpm/redhat/ruby?rpmmod=ruby:3.1:8090020240311122605:a75119d5` → "ruby:3.1" (CSAF's purl scheme). */
function findModuleStream(purl: string | undefined): string | null {
  const query = purl?.split("?")[1];
  if (!query) return null;
  const rpmmod = new URLSearchParams(query).get("rpmmod");
  const [moduleName, stream] = rpmmod?.split(":") ?? [];
  return moduleName && stream ? `${moduleName}:${stream}` : null;
}

/** From `database_specific.severity`, a "Important: …" summary, or Red Hat's classification link. */
function findSeverity(record: OsvAdvisory): Severity | null {
  const candidates = [
    typeof record.database_specific?.severity === "string" ? record.database_specific.severity : null,
    /(?:^|:\s*)(Low|Moderate|Important|Critical):/i.exec(record.summary ?? "")?.[1] ?? null,
    ...record.references.map((reference) => /\/security\/updates\/classification\/#(\w+)$/.exec(reference.url)?.[1] ?? null),
  ];
  for (const candidate of candidates) {
    const severity = SEVERITIES.find((value) => value.toLowerCase() === candidate?.trim().toLowerCase());
    if (severity) return severity;
  }
  return null;
}
