import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { parseNevra } from "../../core/nevra";
import { describeXmlValidationError, describeZodIssue } from "./parse-repomd";
import type { MetadataErrorKind } from "./metadata-read-error";
import { scanXmlElements, type ScanLimits, type XmlInput } from "./scan-xml-elements";

export const PRIMARY_NAMESPACE = "http://linux.duke.edu/metadata/common";

const PackageXml = z.object({
  package: z.object({
    name: z.string().min(1),
    arch: z.string().min(1),
    version: z.object({
      "@_epoch": z.string().regex(/^\d+$/, "expected a number").optional(),
      "@_ver": z.string().min(1),
      "@_rel": z.string().min(1),
    }),
    location: z.object({ "@_href": z.string().min(1), "@_xml:base": z.string().optional() }),
  }),
});

/** One source build a repository carries: the SRPM itself (source repository) or what its binaries were built from. */
export interface PrimarySourceBuild {
  /** e.g. `bash-4.4.20-4.el8_6.src.rpm`; unique per repository. */
  fileName: string;
  name: string;
  /** Known from primary; null when binaries built from it disagree. */
  epoch: number | null;
  version: string;
  release: string;
  /** The repository lists the SRPM itself (`arch` src). */
  isSourcePackage: boolean;
  /** Where to download it (or, in a binary repository, a binary built from it), relative to the root or `base`. */
  href: string;
  base: string | null;
}

export type ParsePrimaryResult =
  | { ok: true; packageCount: number; builds: PrimarySourceBuild[]; invalidSourceRpms: string[] }
  | { ok: false; error: { kind: MetadataErrorKind; message: string } };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, parseAttributeValue: false });
const SOURCE_RPM = /<rpm:sourcerpm>([^<]*)<\/rpm:sourcerpm>/;
const XML_ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" };

function decodedBasename(href: string): string {
  const name = href.slice(href.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * `primary.xml`: the source builds of a repository, one per SRPM file name. In a binary repository
 * they come from `rpm:sourcerpm`; the binary named like the source gives the download link when present.
 */
export async function parsePrimary(input: XmlInput, limits: ScanLimits = {}): Promise<ParsePrimaryResult> {
  const builds = new Map<string, PrimarySourceBuild>();
  const linkNames = new Map<string, string>();
  const invalidSourceRpms = new Set<string>();
  let packageCount = 0;

  const readPackage = (xml: string): string | null => {
    packageCount++;
    // <format> (provides, requires, files) is most of primary's bytes: only rpm:sourcerpm is read from it, by pattern.
    const formatStart = xml.indexOf("<format>");
    const formatEnd = xml.lastIndexOf("</format>");
    const hasFormat = formatStart !== -1 && formatEnd > formatStart;
    const format = hasFormat ? xml.slice(formatStart, formatEnd) : "";
    const rest = hasFormat ? xml.slice(0, formatStart) + xml.slice(formatEnd + "</format>".length) : xml;
    const validation = XMLValidator.validate(rest);
    if (validation !== true) return `package ${packageCount}: ${describeXmlValidationError(validation.err)}`;
    const parsed = PackageXml.safeParse(parser.parse(rest));
    if (!parsed.success) return `package ${packageCount}: ${describeZodIssue(parsed.error)}`;
    const pkg = parsed.data.package;
    const epoch = Number(pkg.version["@_epoch"] ?? 0);
    const location = { href: pkg.location["@_href"], base: pkg.location["@_xml:base"] ?? null };

    if (pkg.arch === "src" || pkg.arch === "nosrc") {
      const fromHref = decodedBasename(location.href);
      const fileName =
        fromHref.endsWith(".src.rpm") || fromHref.endsWith(".nosrc.rpm")
          ? fromHref
          : `${pkg.name}-${pkg.version["@_ver"]}-${pkg.version["@_rel"]}.${pkg.arch}.rpm`;
      builds.set(fileName, {
        fileName,
        name: pkg.name,
        epoch,
        version: pkg.version["@_ver"],
        release: pkg.version["@_rel"],
        isSourcePackage: true,
        ...location,
      });
      return null;
    }

    const sourceRpm = SOURCE_RPM.exec(format)?.[1]
      .trim()
      .replace(/&(amp|lt|gt|quot|apos);/g, (entity) => XML_ENTITIES[entity]);
    if (!sourceRpm) return null;
    const existing = builds.get(sourceRpm);
    if (existing?.isSourcePackage) return null;
    if (existing) {
      if (existing.epoch !== epoch) existing.epoch = null;
      if (pkg.name === existing.name && linkNames.get(sourceRpm) !== existing.name) {
        Object.assign(existing, location);
        linkNames.set(sourceRpm, pkg.name);
      }
      return null;
    }
    const source = parseNevra(sourceRpm);
    if (!source || (source.arch !== "src" && source.arch !== "nosrc")) {
      invalidSourceRpms.add(sourceRpm);
      return null;
    }
    builds.set(sourceRpm, {
      fileName: sourceRpm,
      name: source.name,
      epoch,
      version: source.version,
      release: source.release,
      isSourcePackage: false,
      ...location,
    });
    linkNames.set(sourceRpm, pkg.name);
    return null;
  };

  const scan = await scanXmlElements(input, { rootName: "metadata", elementName: "package", onElement: readPackage, ...limits });
  const fail = (message: string, kind: MetadataErrorKind = "parse"): ParsePrimaryResult => ({
    ok: false,
    error: { kind, message: `primary.xml: ${message}` },
  });
  if (!scan.ok) return fail(scan.error.message, scan.error.kind);
  const namespace = /\sxmlns=["']([^"']*)["']/.exec(scan.rootTag)?.[1];
  if (namespace !== PRIMARY_NAMESPACE)
    return fail(`expected the namespace ${PRIMARY_NAMESPACE}, found ${namespace === undefined ? "none" : "another"}`);
  const declared = /\spackages=["'](\d{1,12})["']/.exec(scan.rootTag)?.[1];
  if (declared !== undefined && Number(declared) !== scan.count) return fail(`declares ${declared} packages but lists ${scan.count}`);
  return { ok: true, packageCount: scan.count, builds: [...builds.values()], invalidSourceRpms: [...invalidSourceRpms] };
}
