import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const SCENARIO_ADVISORIES_PATH = path.join(import.meta.dirname, "scenarios", "rhel-2023-advisories.json");

export const ScenarioPackage = z.object({
  /** Source package name, or `module:stream` for kind "module". */
  name: z.string().min(1),
  epoch: z.string().regex(/^\d+$/).nullable(),
  version: z.string().min(1).nullable(),
  /** For kind "module": the module context. */
  release: z.string().min(1).nullable(),
  kind: z.enum(["rpm", "module"]),
  /** e.g. ["main"], ["EUS 8.6"], ["AUS 8.2", "E4S 8.2", "TUS 8.2"]; absent = the advisory's streams. */
  streams: z.array(z.string()).optional(),
  derived: z.boolean().optional(),
  derivation: z.string().optional(),
  note: z.string().optional(),
});
export type ScenarioPackage = z.infer<typeof ScenarioPackage>;

export const ScenarioAdvisory = z.object({
  id: z.string().regex(/^RH[SBE]A-\d{4}:\d{4,}$/),
  type: z.enum(["security", "bugfix", "enhancement"]),
  severity: z.enum(["Low", "Moderate", "Important", "Critical"]),
  severityDerived: z.boolean().optional(),
  title: z.string().nullable(),
  major: z.number().int(),
  releasedAt: z.iso.datetime(),
  releasedAtPrecision: z.literal("day"),
  packages: z.array(ScenarioPackage),
  cves: z.array(z.string().regex(/^CVE-\d{4}-\d+$/)),
  cvesComplete: z.boolean().optional(),
  source: z.enum(["redhat-api", "redhat-api+almalinux", "almalinux"]),
  products: z.array(z.string()).nullable(),
  /** e.g. ["main", "EUS 8.6"] */
  streams: z.array(z.string()).min(1),
  /** e.g. "main", "EUS", "AUS+E4S+TUS" */
  stream: z.string(),
  almaId: z.string().optional(),
  apiEvidence: z.array(z.string()).optional(),
  derived: z.boolean().optional(),
});
export type ScenarioAdvisory = z.infer<typeof ScenarioAdvisory>;

const ScenarioAdvisoriesFile = z.object({
  window: z.object({ from: z.iso.date(), to: z.iso.date() }),
  advisories: z.array(ScenarioAdvisory).min(1),
});

let cached: ScenarioAdvisory[] | undefined;

/** The 491 real RHEL 8/9 advisories of Apr–Sep 2023 (see scenarios/README.md), validated. */
export function loadScenarioAdvisories(filePath = SCENARIO_ADVISORIES_PATH): ScenarioAdvisory[] {
  if (filePath === SCENARIO_ADVISORIES_PATH && cached) return cached;
  const parsed = ScenarioAdvisoriesFile.parse(JSON.parse(readFileSync(filePath, "utf8")));
  if (filePath === SCENARIO_ADVISORIES_PATH) cached = parsed.advisories;
  return parsed.advisories;
}
