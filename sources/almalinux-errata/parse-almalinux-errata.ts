import { z } from "zod";
import { formatNvr, parseNevra } from "../../core/nevra";
import type { Nevra } from "../../core/types";
import { describeIssues, parseJsonBody } from "../parse-json-body";

export const AlmaErratumPackage = z.object({
  name: z.string().min(1),
  epoch: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).nullish(),
  version: z.string().min(1),
  release: z.string().min(1),
  arch: z.string().min(1),
  /** The SRPM file name a binary package was built from, e.g. `bash-4.4.20-4.el8_6.src.rpm`. */
  src: z.string().nullish(),
  filename: z.string().nullish(),
  /** `name:stream:version:context:arch`, e.g. `mariadb:10.3:8050020220427075058:c5368500:x86_64`. */
  module: z.string().nullish(),
});
export type AlmaErratumPackage = z.infer<typeof AlmaErratumPackage>;

const EpochSeconds = z.number().nonnegative();

export const AlmaErratumEntry = z.object({
  id: z.string().regex(/^AL[A-Z]A-\d{4}:[A-Za-z0-9]+$/, "expected an erratum id like ALSA-2023:3722"),
  issued_date: EpochSeconds,
  updated_date: EpochSeconds,
  severity: z.string().nullish(),
  title: z.string().nullish(),
  type: z.string().nullish(),
  packages: z.array(AlmaErratumPackage),
  modules: z.array(z.object({ name: z.string(), stream: z.string() })).nullish(),
});
export type AlmaErratumEntry = z.infer<typeof AlmaErratumEntry>;

/** The envelope is checked strictly; errata are checked one by one so that one odd entry does not hide the rest. */
export const AlmaErrataFile = z.object({
  schema_version: z.string(),
  data: z.array(z.unknown()),
});
export type AlmaErrataFile = z.infer<typeof AlmaErrataFile>;

export interface ErratumSourcePackage extends Nevra {
  /** `name:stream`, e.g. "mariadb:10.3"; null when not modular. */
  moduleStream: string | null;
}

export interface AlmaLinuxErratum {
  /** e.g. "ALSA-2023:3722" */
  id: string;
  /** Red Hat's release date, copied by AlmaLinux. */
  issuedAt: Date;
  /** AlmaLinux's own publication time. */
  updatedAt: Date;
  type: string | null;
  severity: string | null;
  title: string | null;
  /** Deduplicated by NVR, in order of first appearance. */
  sourcePackages: ErratumSourcePackage[];
}

export interface RejectedErratum {
  id: string | null;
  message: string;
}

export type ParseAlmaLinuxErrataResult =
  | { ok: true; errata: AlmaLinuxErratum[]; rejected: RejectedErratum[] }
  | { ok: false; error: { kind: "parse" | "invalid_data"; message: string } };

function findModuleStream(pkg: AlmaErratumPackage, erratum: AlmaErratumEntry): string | null {
  if (pkg.module) {
    const [name, stream] = pkg.module.split(":");
    if (name && stream) return `${name}:${stream}`;
  }
  if (!/module[_+]el\d/.test(pkg.release)) return null;
  const streams = new Set((erratum.modules ?? []).map((module) => `${module.name}:${module.stream}`));
  return streams.size === 1 ? [...streams][0] : null;
}

function findSourcePackage(pkg: AlmaErratumPackage, erratum: AlmaErratumEntry): ErratumSourcePackage | null {
  const epoch = pkg.epoch === null || pkg.epoch === undefined ? 0 : Number(pkg.epoch);
  const moduleStream = findModuleStream(pkg, erratum);
  if (pkg.arch === "src" || pkg.arch === "nosrc") {
    return { name: pkg.name, epoch, version: pkg.version, release: pkg.release, moduleStream };
  }
  if (!pkg.src) return null;
  const parsed = parseNevra(pkg.src);
  if (!parsed || (parsed.arch !== "src" && parsed.arch !== "nosrc")) return null;
  return { name: parsed.name, epoch, version: parsed.version, release: parsed.release, moduleStream };
}

function toErratum(entry: AlmaErratumEntry): AlmaLinuxErratum | RejectedErratum {
  const byNvr = new Map<string, ErratumSourcePackage>();
  for (const pkg of entry.packages) {
    const source = findSourcePackage(pkg, entry);
    if (source && !byNvr.has(formatNvr(source))) byNvr.set(formatNvr(source), source);
  }
  if (entry.packages.length > 0 && byNvr.size === 0) {
    return { id: entry.id, message: "no package names its source RPM (src)" };
  }
  return {
    id: entry.id,
    issuedAt: new Date(Math.round(entry.issued_date * 1000)),
    updatedAt: new Date(Math.round(entry.updated_date * 1000)),
    type: entry.type ?? null,
    severity: entry.severity ?? null,
    title: entry.title ?? null,
    sourcePackages: [...byNvr.values()],
  };
}

/** `https://errata.almalinux.org/<major>/errata.full.json`: every erratum with the source packages it shipped. */
export function parseAlmaLinuxErrata(body: string | Buffer): ParseAlmaLinuxErrataResult {
  const file = parseJsonBody(body, AlmaErrataFile, "an AlmaLinux errata.full.json");
  if (!file.ok) return file;
  const errata: AlmaLinuxErratum[] = [];
  const rejected: RejectedErratum[] = [];
  file.data.data.forEach((item, index) => {
    const entry = AlmaErratumEntry.safeParse(item);
    if (!entry.success) {
      const id = AlmaErratumEntry.shape.id.safeParse((item as { id?: unknown })?.id).data ?? null;
      rejected.push({ id, message: `erratum #${index + 1}: ${describeIssues(entry.error)}` });
      return;
    }
    const erratum = toErratum(entry.data);
    if ("issuedAt" in erratum) errata.push(erratum);
    else rejected.push(erratum);
  });
  if (errata.length === 0 && rejected.length > 0) {
    return { ok: false, error: { kind: "invalid_data", message: `no erratum has the expected shape; first: ${rejected[0].message}` } };
  }
  return { ok: true, errata, rejected };
}
