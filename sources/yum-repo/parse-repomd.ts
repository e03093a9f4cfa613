import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";

export const REPOMD_NAMESPACE = "http://linux.duke.edu/metadata/repo";

const ChecksumXml = z.object({ "#text": z.string().regex(/^[0-9a-fA-F]+$/, "expected a hex digest"), "@_type": z.string().min(1) });
const Integer = z.string().regex(/^\d+(\.\d+)?$/, "expected a number");

const RepomdXml = z.object({
  repomd: z.object({
    "@_xmlns": z.literal(REPOMD_NAMESPACE, { error: `expected the namespace ${REPOMD_NAMESPACE}` }),
    revision: z.string().optional(),
    data: z
      .array(
        z.object({
          "@_type": z.string().min(1),
          checksum: ChecksumXml,
          "open-checksum": ChecksumXml.optional(),
          location: z.object({ "@_href": z.string().min(1), "@_xml:base": z.string().optional() }),
          timestamp: Integer.optional(),
          size: Integer.optional(),
        }),
      )
      .default([]),
  }),
});

export interface RepoChecksum {
  /** sha256, sha1 (`sha` in old createrepo), sha512, md5 */
  type: string;
  value: string;
}

export interface RepomdData {
  type: string;
  /** Of the file as stored (compressed). */
  checksum: RepoChecksum;
  /** Of the decompressed content, when given. */
  openChecksum: RepoChecksum | null;
  /** Relative to the repository root (or to `base`), e.g. `repodata/<sha>-primary.xml.gz`. */
  href: string;
  /** `xml:base` of the location, when the file lives elsewhere. */
  base: string | null;
  timestamp: Date | null;
  size: number | null;
}

export interface Repomd {
  revision: string | null;
  /** By data type: primary, updateinfo, filelists, modules, … */
  data: Record<string, RepomdData>;
}

export type ParseRepomdResult = { ok: true; repomd: Repomd } | { ok: false; error: { kind: "parse"; message: string } };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "data",
});

/** fast-xml-parser's messages quote the document's tag names: keep its code and place only. */
export function describeXmlValidationError(error: { code: string; line: number; col: number }): string {
  return `not well-formed XML (${error.code} at line ${error.line}, column ${error.col})`;
}

export function describeZodIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join(".") || "(root)"}: ${issue.message}`;
}

/** `repodata/repomd.xml`: where each metadata file is and its checksum (which changes whenever the file does). */
export function parseRepomd(text: string): ParseRepomdResult {
  const fail = (message: string): ParseRepomdResult => ({ ok: false, error: { kind: "parse", message: `repomd.xml: ${message}` } });
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (/^<(!doctype\s+html|html)\b/i.test(trimmed)) return fail("got an HTML page instead of repository metadata");
  const validation = XMLValidator.validate(trimmed);
  if (validation !== true) return fail(describeXmlValidationError(validation.err));
  const parsed = RepomdXml.safeParse(parser.parse(trimmed));
  if (!parsed.success) return fail(describeZodIssue(parsed.error));
  const data: Record<string, RepomdData> = {};
  for (const entry of parsed.data.repomd.data) {
    data[entry["@_type"]] = {
      type: entry["@_type"],
      checksum: { type: entry.checksum["@_type"], value: entry.checksum["#text"].toLowerCase() },
      openChecksum: entry["open-checksum"]
        ? { type: entry["open-checksum"]["@_type"], value: entry["open-checksum"]["#text"].toLowerCase() }
        : null,
      href: entry.location["@_href"],
      base: entry.location["@_xml:base"] ?? null,
      timestamp: entry.timestamp === undefined ? null : new Date(Math.round(Number(entry.timestamp) * 1000)),
      size: entry.size === undefined ? null : Number(entry.size),
    };
  }
  return { ok: true, repomd: { revision: parsed.data.repomd.revision ?? null, data } };
}
