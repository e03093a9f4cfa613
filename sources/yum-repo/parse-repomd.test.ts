import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { parseRepomd } from "./parse-repomd";

const rockyRepomd = readFileSync(samplePath("yum", "rocky", "repomd.rocky8.7-BaseOS-x86_64.xml"), "utf8");
const almaRepomd = readFileSync(samplePath("yum", "almalinux", "repomd.9-AppStream-x86_64.FIXTURE.xml"), "utf8");

describe("parseRepomd", () => {
  it("reads revision, checksums, locations, timestamps and sizes of the real Rocky 8.7 BaseOS repomd.xml", () => {
    const result = parseRepomd(rockyRepomd);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.repomd.revision).toBe("8.7");
    expect(Object.keys(result.repomd.data).sort()).toEqual(
      ["filelists", "filelists_db", "group", "group_xz", "other", "other_db", "primary", "primary_db", "updateinfo"].sort(),
    );
    expect(result.repomd.data.primary).toEqual({
      type: "primary",
      checksum: { type: "sha256", value: "712e4af06a8f9f13766274c3fa83bbdf5572a1014ec77f7cd30d56d492a40db2" },
      openChecksum: { type: "sha256", value: "c3ec31964ce06e7dc14a8184ad11d6f1edce3a718bd63e4de8ed18349d27e85e" },
      href: "repodata/712e4af06a8f9f13766274c3fa83bbdf5572a1014ec77f7cd30d56d492a40db2-primary.xml.gz",
      base: null,
      timestamp: new Date(1674781748 * 1000),
      size: 1791032,
    });
    expect(result.repomd.data.updateinfo.href).toBe(
      "repodata/2242022f6b5935ee22d4ba78d65da0a37873e5a42f00de907795b809d3dadb59-updateinfo.xml.gz",
    );
    expect(result.repomd.data.group.openChecksum).toBeNull();
  });

  it("accepts AlmaLinux's repomd.xml without timestamps or sizes", () => {
    const result = parseRepomd(almaRepomd);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.repomd.revision).toBe("1784024195");
    expect(result.repomd.data.primary).toMatchObject({ href: "repodata/primary.xml.gz", timestamp: null, size: null });
    expect(result.repomd.data.modules.type).toBe("modules");
    expect(result.repomd.data.updateinfo.checksum.type).toBe("sha256");
  });

  it("keeps xml:base when the metadata lives elsewhere", () => {
    const text = rockyRepomd.replace(
      '<location href="repodata/712e',
      '<location xml:base="https://other.example/repo/" href="repodata/712e',
    );
    const result = parseRepomd(text);
    expect(result.ok && result.repomd.data.primary.base).toBe("https://other.example/repo/");
  });

  it.each([
    ["a truncated download", rockyRepomd.slice(0, 1500), /not well-formed/],
    ["an HTML maintenance page", "<!DOCTYPE html><html><body><h1>We'll be back soon</h1></body></html>", /HTML page/],
    ["another namespace", rockyRepomd.replace("http://linux.duke.edu/metadata/repo", "http://example.com/other"), /namespace/],
    ["a data entry without checksum", almaRepomd.replace(/<checksum type="sha256">bce3[^<]*<\/checksum>/, ""), /checksum/],
    ["an empty body", "", /repomd/],
  ])("rejects %s as a parse error", (_case, text, message) => {
    const result = parseRepomd(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("parse");
      expect(result.error.message).toMatch(message);
    }
  });
});
