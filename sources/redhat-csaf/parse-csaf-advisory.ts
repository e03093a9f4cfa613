import { z } from "zod";
import { chooseAdvisoryLink, DEFAULT_ADVISORY_LINKS, type AdvisoryLinkConfig } from "../../core/check-link";
import { formatNevra, parseNvr } from "../../core/nevra";
import { SEVERITIES, type RhelStream, type Severity, type UpstreamAdvisory, type UpstreamPackage } from "../../core/types";
import { ADVISORY_TYPE_BY_PREFIX, RHEL_STREAM_BY_PRODUCT } from "../redhat-vocabulary";

const CsafProduct = z.object({
  name: z.string(),
  product_id: z.string(),
  product_identification_helper: z.object({ cpe: z.string().optional(), purl: z.string().optional() }).optional(),
});
type CsafProduct = z.infer<typeof CsafProduct>;

interface CsafBranch {
  category: string;
  name: string;
  product?: CsafProduct;
  branches?: CsafBranch[];
}
const CsafBranch: z.ZodType<CsafBranch> = z.object({
  category: z.string(),
  name: z.string(),
  product: CsafProduct.optional(),
  get branches() {
    return z.array(CsafBranch).optional();
  },
});

const CsafDateTime = z.iso.datetime({ offset: true });

export const CsafAdvisory = z.object({
  document: z.object({
    title: z.string().optional(),
    aggregate_severity: z.object({ text: z.string() }).optional(),
    references: z.array(z.object({ category: z.string().optional(), url: z.string() })).optional(),
    tracking: z.object({
      id: z.string().regex(/^RH[SBE]A-\d{4}:\d+$/, "expected an advisory id like RHSA-2024:0010"),
      initial_release_date: CsafDateTime,
      current_release_date: CsafDateTime,
    }),
  }),
  product_tree: z
    .object({
      branches: z.array(CsafBranch).optional(),
      relationships: z
        .array(z.object({ category: z.string().optional(), product_reference: z.string(), relates_to_product_reference: z.string() }))
        .optional(),
    })
    .optional(),
  vulnerabilities: z.array(z.object({ cve: z.string().optional() })).optional(),
});
export type CsafAdvisory = z.infer<typeof CsafAdvisory>;

export type ParseCsafAdvisoryResult =
  | { ok: true; advisory: UpstreamAdvisory | null; refusedUrl?: string }
  | { ok: false; error: { kind: "parse" | "invalid_data"; message: string } };

const RHEL_CPE = /^cpe:\/[aoh]:redhat:([a-z0-9_]+):(\d+)(?:\.(\d+))?(?::|$)/;
// Variant ids: `BaseOS-8.8.0.Z.MAIN.EUS`, `AppStream-9.5.0.GA`, `7Server-optional-7.9.Z`, `6Server-ELS.EXTENSION`.
const MODERN_VARIANT =
  /^(BaseOS|AppStream|CRB|HighAvailability|ResilientStorage|NFV|RT|SAP|SAPHANA|Supplementary)-(\d+)\.(\d+)(?:\.\d+)?(?:\.(.*))?$/;
const LEGACY_VARIANT = /^(\d+)(?:Server|Client|Workstation|ComputeNode)(?:-[A-Za-z0-9_]+)*?-(?:(\d+)\.(\d+)(?:\.(.*))?|(ELS.*))$/;

interface RhelVariant {
  major: number;
  minor: string | null;
  stream: RhelStream;
}

function findStreamInVariantSuffix(suffix: string): RhelStream {
  const tokens = suffix.split(/[.-]/);
  for (const stream of ["ELS", "AUS", "E4S", "TUS"] as const) if (tokens.includes(stream)) return stream;
  // `.Z.MAIN.EUS` is the main z-stream of the current minor (which later lives on as EUS): main, as its CPE says.
  if (tokens.includes("EUS") && !tokens.includes("MAIN")) return "EUS";
  return "main";
}

function parseVariantId(variantId: string): RhelVariant | null {
  const modern = MODERN_VARIANT.exec(variantId);
  if (modern) {
    return { major: Number(modern[2]), minor: `${modern[2]}.${modern[3]}`, stream: findStreamInVariantSuffix(modern[4] ?? "") };
  }
  const legacy = LEGACY_VARIANT.exec(variantId);
  if (legacy) {
    if (legacy[5] !== undefined) return { major: Number(legacy[1]), minor: null, stream: "ELS" };
    return { major: Number(legacy[1]), minor: `${legacy[2]}.${legacy[3]}`, stream: findStreamInVariantSuffix(legacy[4] ?? "") };
  }
  return null;
}

/** The RHEL major/minor/stream of a product variant; null for other products (OpenStack, Satellite, …). The CPE wins. */
function describeRhelVariant(variantId: string, cpe: string | null): RhelVariant | null {
  const variant = parseVariantId(variantId);
  if (cpe === null) return variant;
  const cpeMatch = RHEL_CPE.exec(cpe);
  const cpeStream = cpeMatch ? RHEL_STREAM_BY_PRODUCT[cpeMatch[1]] : undefined;
  if (!cpeMatch || !cpeStream) return null;
  const major = Number(cpeMatch[2]);
  const cpeMinor = cpeMatch[3] === undefined ? null : `${major}.${cpeMatch[3]}`;
  return { major, minor: variant?.major === major ? variant.minor : cpeMinor, stream: cpeStream };
}

type SourcePackage = Pick<UpstreamPackage, "name" | "epoch" | "version" | "release" | "moduleStream">;

/** `pkg:rpm/redhat/bind@9.8.2-0.68.rc1.el6_10.17?arch=src&epoch=32[&rpmmod=ruby:3.1:8090020240311122605:a75119d5]` */
function parseSourcePurl(purl: string): SourcePackage | null {
  const match = /^pkg:rpm\/(?:[^/@?#]+\/)*([^/@?#]+)@([^?#]+)(?:\?([^#]*))?(?:#.*)?$/.exec(purl);
  if (!match) return null;
  try {
    const name = decodeURIComponent(match[1]);
    const versionRelease = decodeURIComponent(match[2]);
    const qualifiers = new Map<string, string>();
    for (const pair of (match[3] ?? "").split("&").filter(Boolean)) {
      const equals = pair.indexOf("=");
      if (equals <= 0) return null;
      qualifiers.set(pair.slice(0, equals).toLowerCase(), decodeURIComponent(pair.slice(equals + 1)));
    }
    const arch = qualifiers.get("arch");
    if (arch !== undefined && arch !== "src") return null;
    const epochText = qualifiers.get("epoch") ?? "0";
    if (!/^\d+$/.test(epochText)) return null;
    const nvr = parseNvr(`${name}-${versionRelease}`);
    if (!nvr || nvr.name !== name) return null;
    let moduleStream: string | null = null;
    const rpmmod = qualifiers.get("rpmmod");
    if (rpmmod !== undefined) {
      const [moduleName, stream] = rpmmod.split(":");
      if (!moduleName || !stream) return null;
      moduleStream = `${moduleName}:${stream}`;
    }
    return { ...nvr, epoch: Number(epochText), moduleStream };
  } catch {
    return null;
  }
}

function walkBranches(
  branches: CsafBranch[] | undefined,
  visit: (branch: CsafBranch, isUnderSrc: boolean) => void,
  isUnderSrc = false,
): void {
  for (const branch of branches ?? []) {
    const isSrc = isUnderSrc || (branch.category === "architecture" && branch.name === "src");
    visit(branch, isSrc);
    walkBranches(branch.branches, visit, isSrc);
  }
}

function findSeverity(text: string | undefined): Severity | null {
  if (!text) return null;
  return SEVERITIES.find((severity) => severity.toLowerCase() === text.trim().toLowerCase()) ?? null;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

/**
 * One Red Hat CSAF v2 advisory → the source packages it ships for the wanted RHEL majors.
 * Packages come from the `src` purls joined to their RHEL product variants through `relationships[]`.
 */
export function parseCsafAdvisory(json: unknown, options: { majors: number[]; links?: AdvisoryLinkConfig }): ParseCsafAdvisoryResult {
  const parsed = CsafAdvisory.safeParse(json);
  if (!parsed.success) return { ok: false, error: { kind: "invalid_data", message: `not a CSAF advisory: ${formatIssues(parsed.error)}` } };
  const { document, product_tree: productTree, vulnerabilities } = parsed.data;
  const id = document.tracking.id;

  const cpeByVariant = new Map<string, string | null>();
  const srcProducts = new Map<string, CsafProduct>();
  walkBranches(productTree?.branches, (branch, isUnderSrc) => {
    if (!branch.product) return;
    if (branch.category === "product_name") {
      cpeByVariant.set(branch.product.product_id, branch.product.product_identification_helper?.cpe ?? null);
    } else if (isUnderSrc && branch.category === "product_version") {
      srcProducts.set(branch.product.product_id, branch.product);
    }
  });

  const packages = new Map<string, UpstreamPackage>();
  const sourceByProduct = new Map<string, SourcePackage>();
  for (const relationship of productTree?.relationships ?? []) {
    const product = srcProducts.get(relationship.product_reference);
    if (!product) continue;
    const variantId = relationship.relates_to_product_reference;
    const variant = describeRhelVariant(variantId, cpeByVariant.get(variantId) ?? null);
    if (!variant || !options.majors.includes(variant.major)) continue;

    let source = sourceByProduct.get(product.product_id);
    if (!source) {
      const purl = product.product_identification_helper?.purl;
      const parsedPurl = purl === undefined ? null : parseSourcePurl(purl);
      if (!parsedPurl) {
        const what =
          purl === undefined ? "a source product has no purl" : `a source product has an invalid purl (${purl.length} characters)`;
        return { ok: false, error: { kind: "invalid_data", message: `${id}: ${what}` } };
      }
      source = parsedPurl;
      sourceByProduct.set(product.product_id, source);
    }
    const key = [formatNevra(source), variant.major, variant.stream].join(" ");
    if (!packages.has(key)) packages.set(key, { ...source, ...variant });
  }
  if (packages.size === 0) return { ok: true, advisory: null };

  const selfUrl = document.references?.find((reference) => reference.category === "self" && reference.url.includes("/errata/"))?.url;
  const link = chooseAdvisoryLink(id, selfUrl, options.links ?? DEFAULT_ADVISORY_LINKS);
  const cves = [...new Set((vulnerabilities ?? []).flatMap((vulnerability) => (vulnerability.cve ? [vulnerability.cve] : [])))];
  return {
    ok: true,
    advisory: {
      id,
      type: ADVISORY_TYPE_BY_PREFIX[id.slice(0, 4)],
      severity: findSeverity(document.aggregate_severity?.text),
      title: document.title ?? null,
      issuedAt: new Date(document.tracking.initial_release_date),
      updatedAt: new Date(document.tracking.current_release_date),
      url: link.url,
      cves,
      packages: [...packages.values()],
    },
    ...(link.refusedUrl === null ? {} : { refusedUrl: link.refusedUrl }),
  };
}
