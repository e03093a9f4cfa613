import type { ScenarioAdvisory, ScenarioPackage } from "../load-scenario-advisories";
import type { ScenarioRelease } from "../scenarios/june-2023";

const SEVERITY_ORDER = ["Low", "Moderate", "Important", "Critical"] as const;
const MAIN_MINOR_SWITCHES: Record<number, { before: string; minor: string; after: string }> = {
  8: { before: "2023-05-16", minor: "8.7", after: "8.8" },
  9: { before: "2023-05-09", minor: "9.1", after: "9.2" },
};
/** A short list is enough: the variant only changes the product id and CPE, never the package. */
const BASEOS_PACKAGES = new Set([
  "bind",
  "curl",
  "dbus",
  "glibc",
  "kernel",
  "kpatch-patch",
  "libxml2",
  "linux-firmware",
  "openssh",
  "openssl",
  "python3",
  "sqlite",
  "sudo",
  "systemd",
  "krb5",
  "gnutls",
  "sssd",
  "samba",
]);
const EXTENDED_STREAMS: Record<string, { cpe: string }> = {
  EUS: { cpe: "rhel_eus" },
  AUS: { cpe: "rhel_aus" },
  E4S: { cpe: "rhel_e4s" },
  TUS: { cpe: "rhel_tus" },
};

export interface CsafVariant {
  productId: string;
  name: string;
  cpe: string;
}

export interface SourceProduct {
  productId: string;
  purl: string;
  variantIds: string[];
}

/** `RHSA-2023:3722` → `2023/rhsa-2023_3722.json`, the path under the feed's base URL. */
export function getCsafDocumentPath(advisoryId: string): string {
  const year = advisoryId.slice(5, 9);
  return `${year}/${advisoryId.toLowerCase().replace(":", "_")}.json`;
}

/** `2023-06-14T16:21:05+00:00`: the timestamp shape of Red Hat's CSAF files and changes.csv. */
export function formatCsafTimestamp(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

export function getMainStreamMinor(major: number, releasedAt: Date): string {
  const switchover = MAIN_MINOR_SWITCHES[major];
  if (!switchover) return `${major}.0`;
  return releasedAt.toISOString().slice(0, 10) < switchover.before ? switchover.minor : switchover.after;
}

export function createPurl(item: { name: string; epoch: number; version: string; release: string }): string {
  const epochQualifier = item.epoch === 0 ? "" : `&epoch=${item.epoch}`;
  return `pkg:rpm/redhat/${encodeURIComponent(item.name)}@${encodeURIComponent(`${item.version}-${item.release}`)}?arch=src${epochQualifier}`;
}

/**
 * Red Hat's variant for one stream entry: "main" → `AppStream-8.8.0.Z.MAIN.EUS` (minors that get EUS later carry
 * `.EUS`, as in regenerated 2023 files) or `AppStream-8.7.0.Z.MAIN`; "EUS 8.6" → `BaseOS-8.6.0.Z.EUS`, and so on.
 */
export function getCsafVariant(packageName: string, stream: string, major: number, releasedAt: Date): CsafVariant {
  const repository = BASEOS_PACKAGES.has(packageName) ? "BaseOS" : "AppStream";
  const cpePart = repository === "BaseOS" ? "o" : "a";
  const [kind, streamMinor] = stream.split(" ");
  const extended = EXTENDED_STREAMS[kind];
  if (!extended) {
    const minor = getMainStreamMinor(major, releasedAt);
    const isEusMinor = Number(minor.split(".")[1]) % 2 === 0;
    return {
      productId: `${repository}-${minor}.0.Z.MAIN${isEusMinor ? ".EUS" : ""}`,
      name: `Red Hat Enterprise Linux ${repository} (v. ${major})`,
      cpe: `cpe:/${cpePart}:redhat:enterprise_linux:${major}::${repository.toLowerCase()}`,
    };
  }
  const minor = streamMinor ?? getMainStreamMinor(major, releasedAt);
  const version = kind === "EUS" ? `v.${minor}` : `v. ${minor}`;
  return {
    productId: `${repository}-${minor}.0.Z.${kind}`,
    name: `Red Hat Enterprise Linux ${repository} ${kind} (${version})`,
    cpe: `cpe:/${cpePart}:redhat:${extended.cpe}:${minor}::${repository.toLowerCase()}`,
  };
}

function getHighestSeverity(records: ScenarioAdvisory[]): string {
  return records.map((record) => record.severity).sort((a, b) => SEVERITY_ORDER.indexOf(b) - SEVERITY_ORDER.indexOf(a))[0];
}

function hasSourceNevra(item: ScenarioPackage): item is ScenarioPackage & { version: string; release: string } {
  return item.kind === "rpm" && item.version !== null && item.release !== null;
}

export type HostileSelfLink = "javascript" | "off-site";

/** `self` references a hostile feed could serve; each keeps `/errata/` so that it looks like Red Hat's. */
export const HOSTILE_SELF_LINKS: Record<HostileSelfLink, (advisoryId: string) => string> = {
  javascript: (advisoryId) => `javascript:alert(document.domain)//errata/${advisoryId}`,
  "off-site": (advisoryId) => `https://access.redhat.com.errata.example/errata/${advisoryId}`,
};

/**
 * A CSAF 2.0 advisory in Red Hat's shape, with source RPMs only. Module builds are left out of the product tree:
 * the data names only `module:stream` (at best its version and context), not the module's source RPMs.
 * `invalidPurl` writes a garbage purl on every source package, `selfLink` a hostile `self` reference (fault modes of the simulator).
 */
export function buildCsafDocument(release: ScenarioRelease, options: { invalidPurl?: boolean; selfLink?: HostileSelfLink } = {}): object {
  const { advisoryId, releasedAt, records } = release;
  const timestamp = formatCsafTimestamp(releasedAt);
  const severity = getHighestSeverity(records);
  const firstPackageName = records[0].packages[0]?.name ?? "rhel";
  const synopsis = records.find((record) => record.title)?.title ?? `${firstPackageName} security update`;
  const errataUrl = options.selfLink ? HOSTILE_SELF_LINKS[options.selfLink](advisoryId) : `https://access.redhat.com/errata/${advisoryId}`;
  const cves = [...new Set(records.flatMap((record) => record.cves))].sort();

  const variants = new Map<string, CsafVariant>();
  const sourceProducts = new Map<string, SourceProduct>();
  for (const record of records) {
    for (const item of record.packages) {
      const streams = item.streams ?? record.streams;
      const itemVariants = streams.map((stream) => getCsafVariant(item.name.split(":")[0], stream, record.major, releasedAt));
      for (const variant of itemVariants) variants.set(variant.productId, variant);
      if (!hasSourceNevra(item)) continue;
      const epoch = Number(item.epoch ?? 0);
      const productId = `${item.name}-${epoch}:${item.version}-${item.release}.src`;
      const product = sourceProducts.get(productId) ?? {
        productId,
        purl: options.invalidPurl
          ? "pkg:rpm/redhat/@@@"
          : createPurl({ name: item.name, epoch, version: item.version, release: item.release }),
        variantIds: [],
      };
      for (const variant of itemVariants) if (!product.variantIds.includes(variant.productId)) product.variantIds.push(variant.productId);
      sourceProducts.set(productId, product);
    }
  }

  const vendorBranches: object[] = [
    {
      branches: [...variants.values()].map((variant) => ({
        category: "product_name",
        name: variant.name,
        product: { name: variant.name, product_id: variant.productId, product_identification_helper: { cpe: variant.cpe } },
      })),
      category: "product_family",
      name: "Red Hat Enterprise Linux",
    },
  ];
  if (sourceProducts.size > 0) {
    vendorBranches.push({
      branches: [...sourceProducts.values()].map((product) => ({
        category: "product_version",
        name: product.productId,
        product: { name: product.productId, product_id: product.productId, product_identification_helper: { purl: product.purl } },
      })),
      category: "architecture",
      name: "src",
    });
  }
  const relationships = [...sourceProducts.values()].flatMap((product) =>
    product.variantIds.map((variantId) => ({
      category: "default_component_of",
      full_product_name: {
        name: `${product.productId} as a component of ${variants.get(variantId)?.name}`,
        product_id: `${variantId}:${product.productId}`,
      },
      product_reference: product.productId,
      relates_to_product_reference: variantId,
    })),
  );
  const fixedProductIds = relationships.map((relationship) => relationship.full_product_name.product_id).sort();
  const productNames = [...new Set(records.flatMap((record) => record.products ?? [`Red Hat Enterprise Linux ${record.major}`]))];

  return {
    document: {
      aggregate_severity: { namespace: "https://access.redhat.com/security/updates/classification/", text: severity },
      category: "csaf_security_advisory",
      csaf_version: "2.0",
      distribution: { text: "Copyright © Red Hat, Inc. All rights reserved.", tlp: { label: "WHITE", url: "https://www.first.org/tlp/" } },
      lang: "en",
      notes: [
        {
          category: "summary",
          text: `An update for ${firstPackageName} is now available for ${productNames.join(", ")}.\n\nRed Hat Product Security has rated this update as having a security impact of ${severity}.`,
          title: "Topic",
        },
        {
          category: "general",
          text: `Security Fix(es):\n\n${cves.map((cve) => `* ${cve}`).join("\n\n")}`,
          title: "Details",
        },
        {
          category: "legal_disclaimer",
          text: "This content is licensed under the Creative Commons Attribution 4.0 International License (https://creativecommons.org/licenses/by/4.0/). If you distribute this content, or a modified version of it, you must provide attribution to Red Hat Inc. and provide a link to the original.",
          title: "Terms of Use",
        },
      ],
      publisher: {
        category: "vendor",
        contact_details: "https://access.redhat.com/security/team/contact/",
        issuing_authority: "Red Hat Product Security is responsible for vulnerability handling across all Red Hat products and services.",
        name: "Red Hat Product Security",
        namespace: "https://www.redhat.com",
      },
      references: [
        { category: "self", summary: errataUrl, url: errataUrl },
        {
          category: "external",
          summary: `https://access.redhat.com/security/updates/classification/#${severity.toLowerCase()}`,
          url: `https://access.redhat.com/security/updates/classification/#${severity.toLowerCase()}`,
        },
        {
          category: "self",
          summary: "Canonical URL",
          url: `https://security.access.redhat.com/data/csaf/v2/advisories/${getCsafDocumentPath(advisoryId)}`,
        },
      ],
      title: `Red Hat Security Advisory: ${synopsis}`,
      tracking: {
        current_release_date: timestamp,
        generator: { date: timestamp, engine: { name: "Red Hat SDEngine", version: "3.18.0" } },
        id: advisoryId,
        initial_release_date: timestamp,
        revision_history: [{ date: timestamp, number: "1", summary: "Initial version" }],
        status: "final",
        version: "1",
      },
    },
    product_tree: {
      branches: [{ branches: vendorBranches, category: "vendor", name: "Red Hat" }],
      relationships,
    },
    vulnerabilities: cves.map((cve) => ({
      cve,
      ...(fixedProductIds.length > 0 ? { product_status: { fixed: fixedProductIds } } : {}),
      references: [{ category: "self", summary: `Canonical URL`, url: `https://access.redhat.com/security/cve/${cve}` }],
      release_date: `${releasedAt.toISOString().slice(0, 10)}T00:00:00+00:00`,
      ...(fixedProductIds.length > 0
        ? {
            remediations: [
              {
                category: "vendor_fix",
                date: timestamp,
                details:
                  "For details on how to apply this update, which includes the changes described in this advisory, refer to:\n\nhttps://access.redhat.com/articles/11258",
                product_ids: fixedProductIds,
                url: errataUrl,
              },
            ],
          }
        : {}),
      threats: [{ category: "impact", details: severity }],
      title: cve,
    })),
  };
}
