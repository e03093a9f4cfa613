import { Header } from "tar";
import { describe, expect, it } from "vitest";
import { buildCsafArchive, buildTar, compressZstd, type ArchiveFile } from "../../simulator/csaf/build-csaf-archive";
import { ZSTD_MAX_WINDOW_BYTES } from "../compression/zstd-window-guard";
import { readCsafArchive, type CsafArchiveLimits } from "./read-csaf-archive";

async function* inChunks(bytes: Uint8Array, size = 16 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const LIMITS: CsafArchiveLimits = { maxEntryBytes: 64 * 1024, maxUnpackedBytes: 1 << 30, maxWindowBytes: ZSTD_MAX_WINDOW_BYTES };

const documentFile = (path: string, size = 100): ArchiveFile => ({
  path,
  body: Buffer.from(JSON.stringify({ path, padding: "x".repeat(size) })),
  mtime: new Date("2024-08-10T00:00:00Z"),
});

async function read(archive: Uint8Array, limits: CsafArchiveLimits = LIMITS) {
  const documents = new Map<string, string>();
  const result = await readCsafArchive(inChunks(archive), limits, (path, body) => documents.set(path, body.toString("utf8")));
  return { result, documents };
}

describe("readCsafArchive", () => {
  it("hands over every <year>/<id>.json document of the archive, whole", async () => {
    const files = [
      documentFile("2023/rhsa-2023_3722.json"),
      documentFile("2024/rhba-2024_0010.json", 40_000),
      documentFile("2024/rhea-2024_1.json"),
    ];
    const { result, documents } = await read(await buildCsafArchive(files));
    expect(result).toEqual({ ok: true, documents: 3, oversizedPaths: [] });
    expect([...documents.keys()]).toEqual(files.map((file) => file.path));
    for (const file of files) expect(documents.get(file.path)).toBe(file.body.toString("utf8"));
  });

  it("passes over what is not a document: other names, ./ prefixes kept, links, paths that climb", async () => {
    const block = (header: Header) => {
      const bytes = Buffer.alloc(512);
      header.encode(bytes, 0);
      return bytes;
    };
    const body = Buffer.from("{}");
    const tar = Buffer.concat([
      block(new Header({ path: "./2023/rhsa-2023_1.json", type: "File", size: body.length, mode: 0o644 })),
      body,
      Buffer.alloc(510),
      block(new Header({ path: "../2023/rhsa-2023_2.json", type: "File", size: body.length, mode: 0o644 })),
      body,
      Buffer.alloc(510),
      block(new Header({ path: "2023/rhsa-2023_3.json", type: "SymbolicLink", linkpath: "/etc/passwd", size: 0, mode: 0o777 })),
      block(new Header({ path: "README.txt", type: "File", size: body.length, mode: 0o644 })),
      body,
      Buffer.alloc(510),
      Buffer.alloc(1024),
    ]);
    const { result, documents } = await read(await compressZstd(tar));
    expect(result).toEqual({ ok: true, documents: 1, oversizedPaths: [] });
    expect([...documents.keys()]).toEqual(["2023/rhsa-2023_1.json"]);
  });

  it("leaves a document over the size cap out and names it, and goes on", async () => {
    const files = [
      documentFile("2023/rhsa-2023_1.json"),
      documentFile("2023/rhsa-2023_2.json", 70_000),
      documentFile("2023/rhsa-2023_3.json"),
    ];
    const { result, documents } = await read(await buildCsafArchive(files));
    expect(result).toEqual({ ok: true, documents: 2, oversizedPaths: ["2023/rhsa-2023_2.json"] });
    expect([...documents.keys()]).toEqual(["2023/rhsa-2023_1.json", "2023/rhsa-2023_3.json"]);
  });

  it("refuses an archive cut short, a broken tar, zstd of something else and more than the unpacked cap", async () => {
    const files = Array.from({ length: 20 }, (_, index) => documentFile(`2023/rhsa-2023_${index + 1}.json`, 3000));
    const archive = await buildCsafArchive(files);
    const tar = buildTar(files);

    expect((await read(archive.subarray(0, archive.length - 50))).result).toEqual({
      ok: false,
      error: { kind: "parse", message: "the archive: cannot decompress: unexpected EOF" },
    });
    // Valid zstd, but the tar inside stops in the middle of a document.
    expect((await read(await compressZstd(tar.subarray(0, 20_000)))).result).toEqual({
      ok: false,
      error: { kind: "parse", message: "the archive is not a valid tar: TAR_TRUNCATED" },
    });
    const corrupt = Buffer.from(tar);
    corrupt[512 + 100] ^= 0xff; // the first document header's mode field: its checksum no longer matches
    expect((await read(await compressZstd(corrupt))).result).toMatchObject({
      ok: false,
      error: { kind: "parse", message: expect.stringContaining("not a valid tar") },
    });
    expect((await read(await compressZstd(Buffer.from("x".repeat(10_000))))).result).toMatchObject({ ok: false, error: { kind: "parse" } });
    expect((await read(archive, { ...LIMITS, maxUnpackedBytes: 10_000 })).result).toEqual({
      ok: false,
      error: { kind: "too_large", message: "the archive: more than 10000 bytes once decompressed" },
    });
  });

  it("lets an error of the download itself through, for the HTTP client to report", async () => {
    const archive = await buildCsafArchive([documentFile("2023/rhsa-2023_1.json", 50_000)]);
    async function* brokenDownload() {
      yield archive.subarray(0, 100);
      throw new Error("socket hang up");
    }
    await expect(readCsafArchive(brokenDownload(), LIMITS, () => undefined)).rejects.toThrow("socket hang up");
  });
});
