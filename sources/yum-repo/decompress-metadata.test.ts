import { describe, expect, it } from "vitest";
import { decompressMetadata, detectMetadataCompression, streamDecompressedMetadata } from "./decompress-metadata";
import { compressFixture, renderPrimaryXml } from "./test-support/render-repo-metadata";

const xml = renderPrimaryXml(
  Array.from({ length: 300 }, (_, index) => ({ name: `pkg${index}`, arch: "src", version: "1.0", release: `${index}.el9` })),
);

describe("decompressMetadata", () => {
  it.each(["gz", "xz", "zst", "none"] as const)("restores %s metadata byte for byte", async (compression) => {
    const body = compressFixture(xml, compression);
    const result = await decompressMetadata(body, `repodata/primary.xml.${compression}`);
    expect(result.ok && result.data.toString("utf8")).toBe(xml);
  });

  it("goes by magic bytes, not by the suffix (a .gz that fetch already decoded is plain XML)", async () => {
    expect(detectMetadataCompression(compressFixture(xml, "xz"))).toBe("xz");
    expect(detectMetadataCompression(compressFixture(xml, "zst"))).toBe("zstd");
    expect(detectMetadataCompression(compressFixture(xml, "gz"))).toBe("gzip");
    const result = await decompressMetadata(Buffer.from(xml), "repodata/primary.xml.gz");
    expect(result.ok && result.data.toString("utf8")).toBe(xml);
  });

  it("hands out a large file in several chunks", async () => {
    let chunks = 0;
    for await (const _chunk of streamDecompressedMetadata(compressFixture(xml.repeat(20), "zst"), "primary.xml.zst")) chunks++;
    expect(chunks).toBeGreaterThan(1);
  });

  it.each([
    ["a truncated gzip file", compressFixture(xml, "gz").subarray(0, 200)],
    ["a truncated xz file", compressFixture(xml, "xz").subarray(0, 200)],
    ["a truncated zstd file", compressFixture(xml, "zst").subarray(0, 200)],
    ["a corrupt gzip file", Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(50, 7)])],
    ["bzip2", Buffer.from("BZh91AY&SY not really")],
  ])("turns %s into a parse error", async (_case, body) => {
    const result = await decompressMetadata(body, "repodata/primary.xml.x");
    expect(result).toEqual({ ok: false, error: { kind: "parse", message: expect.stringContaining("repodata/primary.xml.x") } });
  });
});
