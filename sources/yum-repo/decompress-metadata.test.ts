import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildMetadataBomb, buildZstdBomb, type BombCompression } from "../../simulator/yum/build-metadata-bomb";
import {
  checkZstdWindows,
  decompressMetadata,
  detectMetadataCompression,
  streamDecompressedMetadata,
  ZSTD_MAX_WINDOW_BYTES,
} from "./decompress-metadata";
import { parseUpdateinfo } from "./parse-updateinfo";
import { compressFixture, renderPrimaryXml } from "./test-support/render-repo-metadata";

const LIMITS = { maxDecompressedBytes: 64 * 1024 * 1024 };
const SAMPLES = path.resolve(import.meta.dirname, "../../test/samples/yum");

const xml = renderPrimaryXml(
  Array.from({ length: 300 }, (_, index) => ({ name: `pkg${index}`, arch: "src", version: "1.0", release: `${index}.el9` })),
);

describe("decompressMetadata", () => {
  it.each(["gz", "xz", "zst", "none"] as const)("restores %s metadata byte for byte", async (compression) => {
    const body = compressFixture(xml, compression);
    const result = await decompressMetadata(body, `repodata/primary.xml.${compression}`, LIMITS);
    expect(result.ok && result.data.toString("utf8")).toBe(xml);
  });

  it.each(["gz", "xz", "zst"] as const)("still reads the real updateinfo samples compressed as %s", async (compression) => {
    for (const sample of ["almalinux/updateinfo.9-AppStream.FIXTURE.xml", "rocky/updateinfo.apollo-generated.rocky8.xml"]) {
      const text = readFileSync(path.join(SAMPLES, sample));
      const body = compressFixture(text, compression);
      const decompressed = await decompressMetadata(body, sample, { maxDecompressedBytes: text.length });
      expect(decompressed.ok && decompressed.data.equals(text)).toBe(true);
      const parsed = await parseUpdateinfo(streamDecompressedMetadata(body, sample, LIMITS));
      expect(parsed.ok && parsed.updates.length).toBeGreaterThan(0);
    }
  });

  it("goes by magic bytes, not by the suffix (a .gz that fetch already decoded is plain XML)", async () => {
    expect(detectMetadataCompression(compressFixture(xml, "xz"))).toBe("xz");
    expect(detectMetadataCompression(compressFixture(xml, "zst"))).toBe("zstd");
    expect(detectMetadataCompression(compressFixture(xml, "gz"))).toBe("gzip");
    const result = await decompressMetadata(Buffer.from(xml), "repodata/primary.xml.gz", LIMITS);
    expect(result.ok && result.data.toString("utf8")).toBe(xml);
  });

  it("hands out a large file in several chunks", async () => {
    let chunks = 0;
    for await (const _chunk of streamDecompressedMetadata(compressFixture(xml.repeat(20), "zst"), "primary.xml.zst", LIMITS)) chunks++;
    expect(chunks).toBeGreaterThan(1);
  });

  it.each([
    ["a truncated gzip file", compressFixture(xml, "gz").subarray(0, 200)],
    ["a truncated xz file", compressFixture(xml, "xz").subarray(0, 200)],
    ["a truncated zstd file", compressFixture(xml, "zst").subarray(0, 200)],
    ["a corrupt gzip file", Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(50, 7)])],
    ["bzip2", Buffer.from("BZh91AY&SY not really")],
  ])("turns %s into a parse error", async (_case, body) => {
    const result = await decompressMetadata(body, "repodata/primary.xml.x", LIMITS);
    expect(result).toEqual({ ok: false, error: { kind: "parse", message: expect.stringContaining("repodata/primary.xml.x") } });
  });
});

describe("the decompressed-size cap", () => {
  it.each(["gz", "xz", "zst", "none"] as const)(
    "lets a %s file of exactly maxDecompressedBytes through and stops one byte more as too_large",
    async (compression) => {
      const body = compressFixture(xml, compression);
      const exact = await decompressMetadata(body, "primary.xml", { maxDecompressedBytes: xml.length });
      expect(exact.ok && exact.data.length).toBe(xml.length);
      const over = await decompressMetadata(body, "repodata/primary.xml", { maxDecompressedBytes: xml.length - 1 });
      expect(over).toEqual({
        ok: false,
        error: {
          kind: "too_large",
          message: `repodata/primary.xml: more than ${xml.length - 1} bytes once decompressed (maxDecompressedBytes)`,
        },
      });
    },
  );

  it.each(["zst", "gz", "xz"] as const)(
    "stops a %s bomb at the cap, having handed out no more than the cap",
    async (compression: BombCompression) => {
      const cap = 8 * 1024 * 1024;
      const bomb = await buildMetadataBomb(compression, 64 * 1024 * 1024);
      let handedOut = 0;
      let failure: unknown = null;
      try {
        for await (const chunk of streamDecompressedMetadata(bomb, "primary.xml.bomb", { maxDecompressedBytes: cap }))
          handedOut += chunk.length;
      } catch (error) {
        failure = error;
      }
      expect(handedOut).toBeLessThanOrEqual(cap);
      expect(failure).toMatchObject({ kind: "too_large", message: expect.stringContaining(`primary.xml.bomb: more than ${cap} bytes`) });
    },
  );

  it("reads an xz file after an xz bomb was abandoned (xz-decompress runs one stream at a time)", async () => {
    const bomb = await buildMetadataBomb("xz", 64 * 1024 * 1024);
    const stopped = await decompressMetadata(bomb, "bomb.xz", { maxDecompressedBytes: 1024 * 1024 });
    expect(stopped.ok).toBe(false);
    const next = await decompressMetadata(compressFixture(xml, "xz"), "primary.xml.xz", LIMITS);
    expect(next.ok && next.data.toString("utf8")).toBe(xml);
  });

  it("refuses a zstd frame whose window is larger than fzstd should allocate", async () => {
    const bomb = buildZstdBomb(4 * 1024 * 1024);
    expect(checkZstdWindows(bomb, ZSTD_MAX_WINDOW_BYTES)).toBeNull();
    const huge = Buffer.from(bomb);
    huge[5] = (27 - 10) << 3;
    expect(checkZstdWindows(huge, ZSTD_MAX_WINDOW_BYTES)).toBe(
      `a zstd frame declares a ${2 ** 27}-byte window, more than the ${ZSTD_MAX_WINDOW_BYTES} bytes allowed`,
    );
    const result = await decompressMetadata(huge, "primary.xml.zst", LIMITS);
    expect(result).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });

  it("stops as timeout once the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("the poll's deadline of 1 s (pollTimeoutSeconds) passed"));
    const result = await decompressMetadata(compressFixture(xml, "gz"), "primary.xml.gz", { ...LIMITS, signal: controller.signal });
    expect(result).toEqual({
      ok: false,
      error: { kind: "timeout", message: "primary.xml.gz: stopped: the poll's deadline of 1 s (pollTimeoutSeconds) passed" },
    });
  });
});
