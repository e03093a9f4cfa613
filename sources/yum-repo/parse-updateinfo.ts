import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { describeXmlValidationError, describeZodIssue } from "./parse-repomd";
import type { MetadataErrorKind } from "./metadata-read-error";
import { scanXmlElements, type ScanLimits, type XmlInput } from "./scan-xml-elements";

const Text = z.string();
/** `<issued date="2023-11-28 00:00:00"/>` (AlmaLinux, dnf) or `<issued>2022-05-10 08:02:50</issued>` (Rocky's Apollo). */
const DateXml = z.union([Text, z.object({ "@_date": Text.optional(), "#text": Text.optional() })]);
const EmptyElement = z.literal("");

const UpdateXml = z.object({
  update: z.object({
    "@_type": Text.min(1),
    "@_status": Text.optional(),
    "@_from": Text.optional(),
    id: Text.min(1),
    title: Text.optional(),
    issued: DateXml.optional(),
    updated: DateXml.optional(),
    severity: Text.optional(),
    references: z
      .union([
        EmptyElement,
        z.object({
          reference: z
            .array(z.object({ "@_href": Text.optional(), "@_id": Text.optional(), "@_type": Text.optional(), "@_title": Text.optional() }))
            .default([]),
        }),
      ])
      .optional(),
    pkglist: z
      .union([
        EmptyElement,
        z.object({
          collection: z
            .array(
              z.union([
                EmptyElement,
                z.object({
                  module: z.object({ "@_name": Text.min(1), "@_stream": Text.min(1) }).optional(),
                  package: z
                    .array(
                      z.object({
                        "@_name": Text.min(1),
                        "@_version": Text.min(1),
                        "@_release": Text.min(1),
                        "@_epoch": Text.regex(/^\d*$/, "expected a number").optional(),
                        "@_arch": Text.optional(),
                        "@_src": Text.optional(),
                      }),
                    )
                    .default([]),
                }),
              ]),
            )
            .default([]),
        }),
      ])
      .optional(),
  }),
});

export interface UpdateinfoReference {
  type: string | null;
  id: string | null;
  href: string | null;
  title: string | null;
}

export interface UpdateinfoPackage {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string | null;
  /** The SRPM it was built from (`src` attribute, or the package itself when arch is src), e.g. `xz-5.2.5-8.el9_0.src.rpm`. */
  sourceRpm: string | null;
  /** `name:stream` of the collection's module, e.g. "ruby:3.1". */
  moduleStream: string | null;
}

export interface UpdateinfoUpdate {
  id: string;
  /** security, bugfix, enhancement, newpackage, … as the file says. */
  type: string;
  status: string | null;
  from: string | null;
  title: string | null;
  severity: string | null;
  issuedAt: Date | null;
  updatedAt: Date | null;
  references: UpdateinfoReference[];
  packages: UpdateinfoPackage[];
}

export type ParseUpdateinfoResult =
  { ok: true; updates: UpdateinfoUpdate[] } | { ok: false; error: { kind: MetadataErrorKind; message: string } };

const ARRAY_PATHS = new Set(["update.references.reference", "update.pkglist.collection", "update.pkglist.collection.package"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, jpath) => ARRAY_PATHS.has(String(jpath)),
});

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;

/** Updateinfo times carry no zone: they are UTC. Also accepts epoch seconds (some generators write those). */
export function parseUpdateinfoDate(text: string): Date | null {
  const value = text.trim();
  if (/^\d{9,11}$/.test(value)) return new Date(Number(value) * 1000);
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [, year, month, day, hour = "00", minute = "00", second = "00", zone] = match;
  const offset = !zone || zone === "Z" || zone === "UTC" ? "Z" : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function readDate(value: z.infer<typeof DateXml> | undefined): { ok: true; date: Date | null } | { ok: false; text: string } {
  const text = (typeof value === "string" ? value : (value?.["@_date"] ?? value?.["#text"]))?.trim();
  if (!text) return { ok: true, date: null };
  const date = parseUpdateinfoDate(text);
  return date ? { ok: true, date } : { ok: false, text };
}

const orNull = (text: string | undefined): string | null => (text === undefined || text.trim() === "" ? null : text.trim());

/** `updateinfo.xml`: the distribution's errata, with the packages each one shipped. */
export async function parseUpdateinfo(input: XmlInput, limits: ScanLimits = {}): Promise<ParseUpdateinfoResult> {
  const updates: UpdateinfoUpdate[] = [];

  const readUpdate = (xml: string): string | null => {
    const where = `update ${updates.length + 1}`;
    const validation = XMLValidator.validate(xml);
    if (validation !== true) return `${where}: ${describeXmlValidationError(validation.err)}`;
    const parsed = UpdateXml.safeParse(parser.parse(xml));
    if (!parsed.success) return `${where}: ${describeZodIssue(parsed.error)}`;
    const update = parsed.data.update;
    const issued = readDate(update.issued);
    const updated = readDate(update.updated);
    if (!issued.ok) return `${where}: unreadable issued date`;
    if (!updated.ok) return `${where}: unreadable updated date`;

    const references = typeof update.references === "object" ? update.references.reference : [];
    const collections = typeof update.pkglist === "object" ? update.pkglist.collection : [];
    const packages: UpdateinfoPackage[] = [];
    for (const collection of collections) {
      if (typeof collection !== "object") continue;
      const moduleStream = collection.module ? `${collection.module["@_name"]}:${collection.module["@_stream"]}` : null;
      for (const pkg of collection.package) {
        const arch = orNull(pkg["@_arch"]);
        const src = orNull(pkg["@_src"]);
        const sourceRpm = src
          ? src.slice(src.lastIndexOf("/") + 1)
          : arch === "src"
            ? `${pkg["@_name"]}-${pkg["@_version"]}-${pkg["@_release"]}.src.rpm`
            : null;
        packages.push({
          name: pkg["@_name"],
          epoch: Number(pkg["@_epoch"] || 0),
          version: pkg["@_version"],
          release: pkg["@_release"],
          arch,
          sourceRpm,
          moduleStream,
        });
      }
    }
    updates.push({
      id: update.id.trim(),
      type: update["@_type"],
      status: orNull(update["@_status"]),
      from: orNull(update["@_from"]),
      title: orNull(update.title),
      severity: orNull(update.severity),
      issuedAt: issued.date,
      updatedAt: updated.date,
      references: references.map((reference) => ({
        type: orNull(reference["@_type"]),
        id: orNull(reference["@_id"]),
        href: orNull(reference["@_href"]),
        title: orNull(reference["@_title"]),
      })),
      packages,
    });
    return null;
  };

  const scan = await scanXmlElements(input, { rootName: "updates", elementName: "update", onElement: readUpdate, ...limits });
  if (!scan.ok) return { ok: false, error: { kind: scan.error.kind, message: `updateinfo.xml: ${scan.error.message}` } };
  return { ok: true, updates };
}
