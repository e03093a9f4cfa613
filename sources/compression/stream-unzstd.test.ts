import { describe, expect, it } from "vitest";
import { buildTar, compressZstd } from "../../simulator/csaf/build-csaf-archive";
import { buildZstdBomb } from "../../simulator/yum/build-metadata-bomb";
import { streamUnzstd, ZstdStreamError } from "./stream-unzstd";
import { createZstdWindowGuard, ZSTD_MAX_WINDOW_BYTES } from "./zstd-window-guard";

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(compressed: Uint8Array, chunkSize: number, maxDecompressedBytes = 1 << 30): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of streamUnzstd(inChunks(compressed, chunkSize), {
    maxDecompressedBytes,
    maxWindowBytes: ZSTD_MAX_WINDOW_BYTES,
  })) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const text = Buffer.from(Array.from({ length: 20_000 }, (_, index) => `{"row": ${index}, "name": "kernel-${index % 113}"}\n`).join(""));

describe("streamUnzstd", () => {
  it.each([1, 7, 256, 4096, 1 << 20])("decodes real zstd arriving in chunks of %i bytes", async (chunkSize) => {
    const compressed = await compressZstd(text);
    expect(compressed.length).toBeLessThan(text.length / 5);
    expect((await collect(compressed, chunkSize)).equals(text)).toBe(true);
  });

  it("decodes frames that follow one another (zstd -T, or files concatenated)", async () => {
    const first = text.subarray(0, 12_345);
    const second = text.subarray(12_345);
    const compressed = Buffer.concat([await compressZstd(first, 19), await compressZstd(second, 1)]);
    expect((await collect(compressed, 1000)).equals(text)).toBe(true);
  });

  it("stops a bomb at the cap, not at its size", async () => {
    const bomb = buildZstdBomb(256 * 1024 * 1024);
    let handedOut = 0;
    const read = async () => {
      for await (const chunk of streamUnzstd(inChunks(bomb, 4096), {
        maxDecompressedBytes: 4 * 1024 * 1024,
        maxWindowBytes: ZSTD_MAX_WINDOW_BYTES,
      })) {
        handedOut += chunk.length;
      }
    };
    await expect(read()).rejects.toEqual(
      new ZstdStreamError("too_large", `more than ${4 * 1024 * 1024} bytes once decompressed`, "decompressed"),
    );
    expect(handedOut).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it("refuses a window larger than allowed before decoding the frame, wherever the chunks are cut", async () => {
    const huge = Buffer.from(buildZstdBomb(1024 * 1024));
    huge[5] = (27 - 10) << 3;
    for (const chunkSize of [1, 3, 5, 64]) {
      await expect(collect(huge, chunkSize)).rejects.toMatchObject({
        kind: "too_large",
        message: expect.stringContaining(`${2 ** 27}-byte window`),
      });
    }
    // The second frame of a stream is checked as well.
    const stream = Buffer.concat([await compressZstd(text), huge]);
    await expect(collect(stream, 4096)).rejects.toMatchObject({ kind: "too_large" });
  });

  it("reports a stream cut short, garbage and nothing at all as parse errors", async () => {
    const compressed = await compressZstd(text);
    await expect(collect(compressed.subarray(0, compressed.length - 10), 512)).rejects.toMatchObject({ kind: "parse" });
    await expect(collect(Buffer.from("<html>Service Unavailable</html>"), 512)).rejects.toMatchObject({ kind: "parse" });
    await expect(collect(Buffer.alloc(0), 512)).rejects.toMatchObject({ kind: "parse", message: "cannot decompress: the stream is empty" });
  });
});

describe("createZstdWindowGuard", () => {
  it("walks skippable frames, every block type and checksums as the whole-body walk does, at any cut", async () => {
    const tar = buildTar([{ path: "2023/a.json", body: text, mtime: new Date(0) }]);
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const huge = Buffer.from(buildZstdBomb(1024 * 1024));
    huge[5] = (26 - 10) << 3;
    const stream = Buffer.concat([skippable, await compressZstd(tar), buildZstdBomb(1024 * 1024), huge]);
    const whole = createZstdWindowGuard(ZSTD_MAX_WINDOW_BYTES).check(stream);
    expect(whole).toContain(`${2 ** 26}-byte window`);
    for (const size of [1, 2, 13, 700]) {
      const guard = createZstdWindowGuard(ZSTD_MAX_WINDOW_BYTES);
      let problem: string | null = null;
      for (let offset = 0; offset < stream.length && problem === null; offset += size)
        problem = guard.check(stream.subarray(offset, offset + size));
      expect(problem).toBe(whole);
    }
  });
});
