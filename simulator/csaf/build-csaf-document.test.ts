import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { createJune2023Timeline } from "../scenarios/june-2023";
import { buildCsafDocument, createPurl, getCsafDocumentPath, getCsafVariant } from "./build-csaf-document";

interface Branch {
  category: string;
  name: string;
  product?: { name: string; product_id: string; product_identification_helper?: { cpe?: string; purl?: string } };
  branches?: Branch[];
}
interface CsafLike {
  document: Record<string, unknown> & { tracking: Record<string, unknown> & { initial_release_date: string; id: string }; title: string };
  product_tree: {
    branches: Branch[];
    relationships: Array<Record<string, unknown> & { product_reference: string; relates_to_product_reference: string }>;
  };
  vulnerabilities: Array<{ cve: string; product_status?: { fixed: string[] } }>;
}

const timeline = createJune2023Timeline();
const getRelease = (advisoryId: string) => {
  const release = timeline.releases.find((candidate) => candidate.advisoryId === advisoryId);
  if (!release) throw new Error(`no ${advisoryId} in the scenario`);
  return release;
};
const build = (advisoryId: string, options?: { invalidPurl?: boolean }) => buildCsafDocument(getRelease(advisoryId), options) as CsafLike;
const readSample = (name: string) => JSON.parse(readFileSync(samplePath("redhat-csaf", name), "utf8")) as CsafLike;

function listBranches(branches: Branch[] | undefined): Branch[] {
  return (branches ?? []).flatMap((branch) => [branch, ...listBranches(branch.branches)]);
}
const sortedKeys = (value: object) => Object.keys(value).sort();

describe("buildCsafDocument", () => {
  it("has the keys of a real Red Hat advisory", () => {
    const sample = readSample("rhsa-2024_0010.json");
    const document = build("RHSA-2023:3722");
    expect(sortedKeys(document)).toEqual(sortedKeys(sample));
    expect(sortedKeys(document.document)).toEqual(sortedKeys(sample.document));
    expect(sortedKeys(document.document.tracking)).toEqual(sortedKeys(sample.document.tracking));
    expect(sortedKeys(document.product_tree)).toEqual(sortedKeys(sample.product_tree));
    expect(sortedKeys(document.product_tree.relationships[0])).toEqual(sortedKeys(sample.product_tree.relationships[0]));
    const [vendor] = document.product_tree.branches;
    expect(vendor).toMatchObject({ category: "vendor", name: "Red Hat" });
    expect(vendor.branches?.map((branch) => [branch.category, branch.name])).toEqual([
      ["product_family", "Red Hat Enterprise Linux"],
      ["architecture", "src"],
    ]);
  });

  it("gives the release instant as initial_release_date and names the advisory", () => {
    const release = getRelease("RHSA-2023:3722");
    const { document } = build("RHSA-2023:3722");
    expect(document.tracking).toMatchObject({
      id: "RHSA-2023:3722",
      initial_release_date: release.releasedAt.toISOString().replace(".000Z", "+00:00"),
      current_release_date: release.releasedAt.toISOString().replace(".000Z", "+00:00"),
      status: "final",
    });
    expect(document).toMatchObject({ category: "csaf_security_advisory", csaf_version: "2.0", aggregate_severity: { text: "Moderate" } });
    expect(document.title).toBe("Red Hat Security Advisory: openssl security and bug fix update");
    expect(build("RHSA-2023:1548").document.title).toBe("Red Hat Security Advisory: tigervnc security update");
    expect(document.references).toContainEqual({
      category: "self",
      summary: "https://access.redhat.com/errata/RHSA-2023:3722",
      url: "https://access.redhat.com/errata/RHSA-2023:3722",
    });
  });

  it("lists the source RPM with its purl (epoch as a qualifier) and joins it to the 9.2 main-stream variant", () => {
    const document = build("RHSA-2023:3722");
    const source = listBranches(document.product_tree.branches).find((branch) => branch.category === "product_version");
    expect(source?.product).toEqual({
      name: "openssl-1:3.0.7-16.el9_2.src",
      product_id: "openssl-1:3.0.7-16.el9_2.src",
      product_identification_helper: { purl: "pkg:rpm/redhat/openssl@3.0.7-16.el9_2?arch=src&epoch=1" },
    });
    expect(document.product_tree.relationships).toEqual([
      {
        category: "default_component_of",
        full_product_name: {
          name: "openssl-1:3.0.7-16.el9_2.src as a component of Red Hat Enterprise Linux BaseOS (v. 9)",
          product_id: "BaseOS-9.2.0.Z.MAIN.EUS:openssl-1:3.0.7-16.el9_2.src",
        },
        product_reference: "openssl-1:3.0.7-16.el9_2.src",
        relates_to_product_reference: "BaseOS-9.2.0.Z.MAIN.EUS",
      },
    ]);
    const variant = listBranches(document.product_tree.branches).find((branch) => branch.category === "product_name");
    expect(variant?.product?.product_identification_helper?.cpe).toBe("cpe:/o:redhat:enterprise_linux:9::baseos");
    expect(document.vulnerabilities[0].product_status?.fixed).toEqual(["BaseOS-9.2.0.Z.MAIN.EUS:openssl-1:3.0.7-16.el9_2.src"]);
  });

  it("puts both majors and every update stream of a shared advisory in one document", () => {
    const document = build("RHSA-2023:3661");
    const variantIds = listBranches(document.product_tree.branches)
      .filter((branch) => branch.category === "product_name")
      .map((branch) => branch.product?.product_id);
    expect(variantIds).toEqual(
      expect.arrayContaining([
        "AppStream-8.8.0.Z.MAIN.EUS",
        "AppStream-8.1.0.Z.E4S",
        "AppStream-8.2.0.Z.AUS",
        "AppStream-8.4.0.Z.TUS",
        "AppStream-8.6.0.Z.EUS",
        "AppStream-9.2.0.Z.MAIN.EUS",
        "AppStream-9.0.0.Z.EUS",
      ]),
    );
    const relationships = document.product_tree.relationships.map(
      (relationship) => `${relationship.relates_to_product_reference}:${relationship.product_reference}`,
    );
    expect(relationships).toContain("AppStream-8.6.0.Z.EUS:texlive-7:20180414-26.el8_6.src");
    expect(relationships).toContain("AppStream-9.2.0.Z.MAIN.EUS:texlive-9:20200406-26.el9_2.src");
    expect(relationships).not.toContain("AppStream-8.8.0.Z.MAIN.EUS:texlive-7:20180414-26.el8_6.src");
  });

  it("names EUS, AUS, E4S and TUS variants as Red Hat does", () => {
    const releasedAt = new Date("2023-06-20T10:00:00Z");
    expect(getCsafVariant("tigervnc", "EUS 8.4", 8, releasedAt)).toEqual({
      productId: "AppStream-8.4.0.Z.EUS",
      name: "Red Hat Enterprise Linux AppStream EUS (v.8.4)",
      cpe: "cpe:/a:redhat:rhel_eus:8.4::appstream",
    });
    expect(getCsafVariant("kernel", "AUS 8.2", 8, releasedAt)).toEqual({
      productId: "BaseOS-8.2.0.Z.AUS",
      name: "Red Hat Enterprise Linux BaseOS AUS (v. 8.2)",
      cpe: "cpe:/o:redhat:rhel_aus:8.2::baseos",
    });
    expect(getCsafVariant("tigervnc", "main", 8, new Date("2023-05-15T12:00:00Z")).productId).toBe("AppStream-8.7.0.Z.MAIN");
    expect(getCsafVariant("tigervnc", "main", 8, new Date("2023-05-16T12:00:00Z")).productId).toBe("AppStream-8.8.0.Z.MAIN.EUS");
    expect(getCsafVariant("tigervnc", "main", 9, new Date("2023-05-08T12:00:00Z")).productId).toBe("AppStream-9.1.0.Z.MAIN");
  });

  it("matches the variant of a real June 2023 advisory", () => {
    const sample = readSample("rhsa-2023_3821.TRIMMED-src-only.json");
    const sampleVariant = listBranches(sample.product_tree.branches).find((branch) => branch.category === "product_name");
    expect(getCsafVariant("ruby", "main", 8, new Date("2023-06-27T15:16:35Z"))).toEqual({
      productId: sampleVariant?.product?.product_id,
      name: sampleVariant?.name,
      cpe: sampleVariant?.product?.product_identification_helper?.cpe,
    });
  });

  it("percent-encodes + in purls and leaves a zero epoch out", () => {
    expect(createPurl({ name: "ruby", epoch: 0, version: "2.7.8", release: "139.module+el8.8.0+18745+f1bef313" })).toBe(
      "pkg:rpm/redhat/ruby@2.7.8-139.module%2Bel8.8.0%2B18745%2Bf1bef313?arch=src",
    );
  });

  it("still writes a document, without source products, for a module-only advisory", () => {
    const moduleOnly = timeline.releases.find((release) =>
      release.records.every((record) => record.packages.every((item) => item.kind === "module")),
    );
    expect(moduleOnly).toBeDefined();
    const document = buildCsafDocument(moduleOnly!) as CsafLike;
    expect(document.document.tracking.id).toBe(moduleOnly!.advisoryId);
    expect(document.product_tree.relationships).toEqual([]);
    expect(listBranches(document.product_tree.branches).some((branch) => branch.category === "product_version")).toBe(false);
  });

  it("writes garbage purls when asked to (fault mode)", () => {
    const document = build("RHSA-2023:3722", { invalidPurl: true });
    const source = listBranches(document.product_tree.branches).find((branch) => branch.category === "product_version");
    expect(source?.product?.product_identification_helper?.purl).toBe("pkg:rpm/redhat/@@@");
  });

  it("files an advisory under its year with Red Hat's lower-case name", () => {
    expect(getCsafDocumentPath("RHSA-2023:3722")).toBe("2023/rhsa-2023_3722.json");
  });
});
