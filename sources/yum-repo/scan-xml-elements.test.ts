import { describe, expect, it } from "vitest";
import { renderUnclosedElementPrimary } from "../../simulator/yum/build-metadata-bomb";
import { scanXmlElements } from "./scan-xml-elements";

async function* inChunks(text: string | Buffer, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
}

const scanPackages = (input: Parameters<typeof scanXmlElements>[0], options: { maxElementBytes?: number; signal?: AbortSignal } = {}) => {
  const elements: string[] = [];
  const result = scanXmlElements(input, {
    rootName: "metadata",
    elementName: "package",
    onElement: (element) => {
      elements.push(element);
      return null;
    },
    ...options,
  });
  return result.then((scan) => ({ scan, elements }));
};

describe("scanXmlElements", () => {
  it("hands out each element whole, whatever the chunk boundaries (multi-byte characters split included)", async () => {
    const text = `\uFEFF<?xml version="1.0"?>\n<!-- made by createrepo_c -->\n<metadata packages="3"><package>é1</package>\n<package a="x"/><package>ünïcode ✓</package></metadata>\n`;
    for (const chunkBytes of [1, 2, 3, 7, 64 * 1024]) {
      const { scan, elements } = await scanPackages(inChunks(text, chunkBytes));
      expect(scan).toMatchObject({ ok: true, rootTag: '<metadata packages="3">', count: 3 });
      expect(elements).toEqual(["<package>é1</package>", '<package a="x"/>', "<package>ünïcode ✓</package>"]);
    }
  });

  it("examines each byte a bounded number of times when one large element arrives in many small chunks", async () => {
    const element = `<package>${'<rpm:entry name="x"/>'.repeat(20_000)}</package>`;
    const text = `<metadata>${element.repeat(3)}</metadata>`;
    const { scan } = await scanPackages(inChunks(text, 100));
    expect(scan.ok).toBe(true);
    // Rescanning from the element's start on every chunk would examine ~ length² / (2 × 100) bytes here.
    expect(scan.examinedBytes).toBeLessThanOrEqual(3 * text.length);
  });

  it("stops an element that never closes at maxElementBytes as too_large, holding no more than that", async () => {
    const { scan, elements } = await scanPackages(inChunks(renderUnclosedElementPrimary(4 * 1024 * 1024), 16 * 1024), {
      maxElementBytes: 1024 * 1024,
    });
    expect(elements).toEqual([]);
    expect(scan).toMatchObject({
      ok: false,
      error: {
        kind: "too_large",
        message: expect.stringMatching(
          /^markup at byte \d+ \(after 0 <package> element\(s\)\) is larger than 1048576 bytes \(maxElementBytes\)$/,
        ),
      },
    });
  });

  it("counts an element of exactly maxElementBytes as fine and one byte more as too large", async () => {
    const element = `<package>${"x".repeat(100)}</package>`;
    const text = `<metadata>${element}</metadata>`;
    expect((await scanPackages(text, { maxElementBytes: element.length })).scan.ok).toBe(true);
    expect((await scanPackages(text, { maxElementBytes: element.length - 1 })).scan).toMatchObject({
      ok: false,
      error: { kind: "too_large" },
    });
  });

  it.each([
    ["text that is not XML", "SECRET-TOKEN-123 is what the loopback service answered", /^not XML: unexpected text at byte 0$/],
    ["another root element", "<SECRET-TOKEN-123/>", /^expected <metadata> as the root element, found another element at byte 0$/],
    ["an HTML page", "<html><body>SECRET-TOKEN-123</body></html>", /an HTML page, not repository metadata/],
    [
      "another element inside the root",
      "<metadata><SECRET-TOKEN-123/></metadata>",
      /^unexpected element inside <metadata> at byte 10 \(expected <package>\)$/,
    ],
    ["content after the root", "<metadata></metadata><SECRET-TOKEN-123/>", /^content after <\/metadata> at byte 21$/],
    [
      "a truncated document",
      "<metadata><package>SECRET-TOKEN-123",
      /^truncated: the document ends before <\/metadata> after 0 <package> element\(s\) \(cut inside markup starting at byte 10\)$/,
    ],
  ])("describes %s by position, never quoting the document", async (_case, text, message) => {
    const { scan } = await scanPackages(text);
    expect(scan).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringMatching(message) } });
    expect(JSON.stringify(scan)).not.toContain("SECRET");
  });

  it("stops as timeout when the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { scan } = await scanPackages("<metadata></metadata>", { signal: controller.signal });
    expect(scan).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });
});
