/** A whole document, or its bytes chunk by chunk (see streamDecompressedMetadata). */
export type XmlInput = string | Uint8Array | AsyncIterable<Uint8Array>;

export type ScanXmlElementsResult =
  | { ok: true; rootTag: string; count: number }
  | { ok: false; error: { kind: "parse"; message: string } };

interface ScanOptions {
  rootName: string;
  elementName: string;
  /** Gets each `<elementName …>…</elementName>` as text; returns an error message to stop the scan. */
  onElement(xml: string): string | null;
}

async function* readText(input: XmlInput): AsyncGenerator<string> {
  if (typeof input === "string") {
    yield input;
    return;
  }
  const decoder = new TextDecoder("utf-8");
  if (input instanceof Uint8Array) {
    yield decoder.decode(input);
    return;
  }
  for await (const chunk of input) yield decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 60)}…` : flat);
}

/**
 * Walks the direct children of a metadata document's root one at a time, so that only one
 * `<package>` or `<update>` is held as text at once. A document that ends before its root's
 * closing tag (truncated download) or whose root is not `rootName` (an HTML page) is a parse error.
 */
export async function scanXmlElements(input: XmlInput, options: ScanOptions): Promise<ScanXmlElementsResult> {
  const { rootName, elementName } = options;
  const closingTag = `</${elementName}>`;
  let buffer = "";
  let rootTag: string | null = null;
  let isRootClosed = false;
  let count = 0;
  const fail = (message: string): ScanXmlElementsResult => ({ ok: false, error: { kind: "parse", message } });

  /** Consumes what it can; returns an error message, or null (possibly waiting for more text). */
  const consume = (): string | null => {
    let position = 0;
    for (;;) {
      while (position < buffer.length && /[\s\uFEFF]/.test(buffer[position])) position++;
      if (position >= buffer.length) break;
      if (buffer[position] !== "<") {
        if (rootTag === null || isRootClosed) return `not XML: unexpected text ${excerpt(buffer.slice(position, position + 60))}`;
        const next = buffer.indexOf("<", position);
        position = next === -1 ? buffer.length : next;
        continue;
      }
      const head = buffer.slice(position, position + 4);
      if (head.startsWith("<?") || head.startsWith("<!--") || (head.startsWith("<!") && head.length >= 4)) {
        const terminator = head.startsWith("<?") ? "?>" : head.startsWith("<!--") ? "-->" : ">";
        const end = buffer.indexOf(terminator, position + 2);
        if (end === -1) break;
        position = end + terminator.length;
        continue;
      }
      if (head.length < 4 && head.startsWith("<!")) break;
      const tagEnd = buffer.indexOf(">", position);
      if (tagEnd === -1) break;
      const nameMatch = /^<\/?([^\s/>]+)/.exec(buffer.slice(position, tagEnd + 1));
      const name = nameMatch?.[1] ?? "";
      const isClosing = buffer[position + 1] === "/";
      if (isRootClosed) return `content after </${rootName}>: ${excerpt(buffer.slice(position, tagEnd + 1))}`;
      if (rootTag === null) {
        if (name !== rootName) {
          const hint = /^html$/i.test(name) ? " (an HTML page, not repository metadata)" : "";
          return `expected <${rootName}>, found <${name}>${hint}`;
        }
        rootTag = buffer.slice(position, tagEnd + 1);
        isRootClosed = rootTag.endsWith("/>");
        position = tagEnd + 1;
        continue;
      }
      if (isClosing) {
        if (name !== rootName) return `unexpected </${name}> inside <${rootName}>`;
        isRootClosed = true;
        position = tagEnd + 1;
        continue;
      }
      if (name !== elementName) return `unexpected <${name}> inside <${rootName}> (expected <${elementName}>)`;
      let elementEnd: number;
      if (buffer[tagEnd - 1] === "/") elementEnd = tagEnd + 1;
      else {
        const closeAt = buffer.indexOf(closingTag, tagEnd);
        if (closeAt === -1) break;
        elementEnd = closeAt + closingTag.length;
      }
      const problem = options.onElement(buffer.slice(position, elementEnd));
      count++;
      if (problem !== null) return problem;
      position = elementEnd;
    }
    buffer = buffer.slice(position);
    return null;
  };

  try {
    for await (const text of readText(input)) {
      buffer += text;
      const problem = consume();
      if (problem !== null) return fail(problem);
    }
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  if (rootTag === null) return fail(buffer.trim() === "" ? "empty document" : `no <${rootName}> element`);
  if (!isRootClosed) {
    const at = buffer.trim() ? ` (cut inside ${excerpt(buffer.slice(0, 60))})` : "";
    return fail(`truncated: the document ends before </${rootName}> after ${count} <${elementName}> element(s)${at}`);
  }
  return { ok: true, rootTag, count };
}
