import { describeAbort, MetadataReadError, type MetadataErrorKind } from "./metadata-read-error";
import { createEventLoopYielder } from "./create-event-loop-yielder";

/** A whole document, or its bytes chunk by chunk (see streamDecompressedMetadata). */
export type XmlInput = string | Uint8Array | AsyncIterable<Uint8Array>;

export type ScanXmlElementsResult =
  | { ok: true; rootTag: string; count: number; examinedBytes: number }
  | { ok: false; error: { kind: MetadataErrorKind; message: string }; examinedBytes: number };

export interface ScanLimits {
  /** A child element (or any other markup) larger than this ends the scan as `too_large`. */
  maxElementBytes?: number;
  signal?: AbortSignal;
}

interface ScanOptions extends ScanLimits {
  rootName: string;
  elementName: string;
  /** Gets each `<elementName …>…</elementName>` as text; returns an error message to stop the scan. */
  onElement(xml: string): string | null;
}

/** A real `<package>` or `<update>` is a few KB; a kernel's with its file list some hundred KB. */
const DEFAULT_MAX_ELEMENT_BYTES = 8 * 1024 * 1024;
const SLICE_BYTES = 64 * 1024;
const INITIAL_CAPACITY_BYTES = 64 * 1024;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const BOM = [0xef, 0xbb, 0xbf];

const isXmlSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const isNameEnd = (byte: number) => isXmlSpace(byte) || byte === SLASH || byte === GT;

async function* readBytes(input: XmlInput): AsyncGenerator<Uint8Array> {
  if (typeof input === "string" || input instanceof Uint8Array) {
    const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
    for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) yield bytes.subarray(offset, offset + SLICE_BYTES);
    return;
  }
  yield* input;
}

/**
 * Walks the direct children of a metadata document's root one at a time, so that only one `<package>` or
 * `<update>` is held at once. Linear in the input: it works on bytes (all markup is ASCII, which UTF-8 never
 * uses inside a multi-byte character), keeps where each search stopped across chunks, and holds at most one
 * unfinished element, capped by `maxElementBytes`. A document that ends before its root's closing tag (truncated
 * download) or whose root is not `rootName` (an HTML page) is a parse error. Messages give byte offsets and
 * counts, never the document's own bytes: they end up in public poll-run errors.
 */
export async function scanXmlElements(input: XmlInput, options: ScanOptions): Promise<ScanXmlElementsResult> {
  const { rootName, elementName, signal } = options;
  const maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
  const rootNameBytes = Buffer.from(rootName);
  const elementNameBytes = Buffer.from(elementName);
  const closingTag = Buffer.from(`</${elementName}>`);
  const decoder = new TextDecoder("utf-8");
  const yieldToEventLoop = createEventLoopYielder();

  let buffer = Buffer.alloc(INITIAL_CAPACITY_BYTES);
  /** Pending bytes are buffer[start, end); `consumedBytes` is the document offset of buffer[start]. */
  let start = 0;
  let end = 0;
  let consumedBytes = 0;
  /** Where the unfinished token's searches stopped, relative to `start` (so a new chunk is searched once). */
  let resumeOffset = 0;
  let tagEndOffset = -1;
  let rootTag: string | null = null;
  let isRootClosed = false;
  let isBomChecked = false;
  let count = 0;
  let examinedBytes = 0;

  const append = (chunk: Uint8Array) => {
    const pending = end - start;
    if (end + chunk.length > buffer.length) {
      if (pending + chunk.length <= buffer.length / 2) buffer.copyWithin(0, start, end);
      else {
        const grown = Buffer.alloc(Math.max(buffer.length * 2, (pending + chunk.length) * 2));
        buffer.copy(grown, 0, start, end);
        buffer = grown;
      }
      start = 0;
      end = pending;
    }
    buffer.set(chunk, end);
    end += chunk.length;
  };

  /** Index of `needle` in the pending bytes from `from`, or -1 after noting where to go on with the next chunk. */
  const find = (needle: Uint8Array | number, from: number): number => {
    const searchFrom = Math.max(from, start + resumeOffset);
    const found = buffer.subarray(0, end).indexOf(needle, searchFrom);
    const needleLength = typeof needle === "number" ? 1 : needle.length;
    examinedBytes += (found === -1 ? end : found + needleLength) - searchFrom;
    if (found === -1) resumeOffset = Math.max(searchFrom, end - needleLength + 1) - start;
    return found;
  };

  const matchesName = (at: number, name: Uint8Array): boolean => {
    if (at + name.length >= end) return false;
    for (let index = 0; index < name.length; index++) if (buffer[at + index] !== name[index]) return false;
    return isNameEnd(buffer[at + name.length]);
  };
  const isHtml = (at: number): boolean =>
    at + 5 <= end &&
    Buffer.from(buffer.subarray(at, at + 4))
      .toString("latin1")
      .toLowerCase() === "html" &&
    isNameEnd(buffer[at + 4]);

  const finishToken = (next: number) => {
    consumedBytes += next - start;
    start = next;
    resumeOffset = 0;
    tagEndOffset = -1;
  };

  /** Consumes what it can; returns an error, or null (possibly waiting for more bytes). */
  const consume = (isLast: boolean): { kind: MetadataErrorKind; message: string } | null => {
    const parseError = (message: string) => ({ kind: "parse" as const, message });
    if (!isBomChecked) {
      if (end - start < BOM.length && !isLast) return null;
      isBomChecked = true;
      if (BOM.every((byte, index) => buffer[start + index] === byte)) finishToken(start + BOM.length);
    }
    for (;;) {
      let position = start;
      while (position < end && isXmlSpace(buffer[position])) position++;
      examinedBytes += position - start;
      if (position > start) finishToken(position);
      if (position >= end) return null;
      const at = `at byte ${consumedBytes}`;
      if (buffer[position] !== LT) {
        if (rootTag === null || isRootClosed) return parseError(`not XML: unexpected text ${at}`);
        const next = find(LT, position);
        finishToken(next === -1 ? end : next);
        continue;
      }
      if (position + 1 >= end) return null;
      const second = buffer[position + 1];
      if (second === QUESTION || second === BANG) {
        if (second === BANG && position + 4 > end) return null;
        const isComment = second === BANG && buffer[position + 2] === 0x2d && buffer[position + 3] === 0x2d;
        const terminator = second === QUESTION ? Buffer.from("?>") : isComment ? Buffer.from("-->") : GT;
        const found = find(terminator, position + 2);
        if (found === -1) return null;
        finishToken(found + (typeof terminator === "number" ? 1 : terminator.length));
        continue;
      }
      if (tagEndOffset === -1) {
        const found = find(GT, position + 1);
        if (found === -1) return null;
        tagEndOffset = found - start;
        resumeOffset = tagEndOffset + 1;
      }
      const tagEnd = start + tagEndOffset;
      const isClosing = second === SLASH;
      const nameAt = position + (isClosing ? 2 : 1);
      if (isRootClosed) return parseError(`content after </${rootName}> ${at}`);
      if (rootTag === null) {
        if (isClosing || !matchesName(nameAt, rootNameBytes)) {
          const hint = isHtml(nameAt) ? " (an HTML page, not repository metadata)" : "";
          return parseError(`expected <${rootName}> as the root element, found another element ${at}${hint}`);
        }
        rootTag = decoder.decode(buffer.subarray(position, tagEnd + 1));
        isRootClosed = buffer[tagEnd - 1] === SLASH;
        finishToken(tagEnd + 1);
        continue;
      }
      if (isClosing) {
        if (!matchesName(nameAt, rootNameBytes)) return parseError(`unexpected closing tag inside <${rootName}> ${at}`);
        isRootClosed = true;
        finishToken(tagEnd + 1);
        continue;
      }
      if (!matchesName(nameAt, elementNameBytes))
        return parseError(`unexpected element inside <${rootName}> ${at} (expected <${elementName}>)`);
      let elementEnd: number;
      if (buffer[tagEnd - 1] === SLASH) elementEnd = tagEnd + 1;
      else {
        const found = find(closingTag, tagEnd + 1);
        if (found === -1) return null;
        elementEnd = found + closingTag.length;
      }
      if (elementEnd - position > maxElementBytes) return tooLarge();
      const xml = decoder.decode(buffer.subarray(position, elementEnd));
      examinedBytes += elementEnd - position;
      const problem = options.onElement(xml);
      count++;
      if (problem !== null) return parseError(problem);
      finishToken(elementEnd);
    }
  };

  const tooLarge = () => ({
    kind: "too_large" as const,
    message: `markup at byte ${consumedBytes} (after ${count} <${elementName}> element(s)) is larger than ${maxElementBytes} bytes (maxElementBytes)`,
  });
  const fail = (error: { kind: MetadataErrorKind; message: string }): ScanXmlElementsResult => ({ ok: false, error, examinedBytes });

  try {
    for await (const chunk of readBytes(input)) {
      if (signal?.aborted) return fail({ kind: "timeout", message: describeAbort(signal) });
      append(chunk);
      const problem = consume(false);
      if (problem !== null) return fail(problem);
      if (end - start > maxElementBytes) return fail(tooLarge());
      await yieldToEventLoop();
    }
    const problem = consume(true);
    if (problem !== null) return fail(problem);
  } catch (error) {
    if (error instanceof MetadataReadError) return fail({ kind: error.kind, message: error.message });
    return fail({ kind: "parse", message: error instanceof Error ? error.message : String(error) });
  }
  if (rootTag === null) return fail({ kind: "parse", message: end === start ? "empty document" : `no <${rootName}> element` });
  if (!isRootClosed) {
    const cut = end > start ? ` (cut inside markup starting at byte ${consumedBytes})` : "";
    return fail({
      kind: "parse",
      message: `truncated: the document ends before </${rootName}> after ${count} <${elementName}> element(s)${cut}`,
    });
  }
  return { ok: true, rootTag, count, examinedBytes };
}
