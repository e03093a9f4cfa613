import type { MirrorConfig } from "./config";

/** A package build as a report row names it. */
export interface ExpectedBuild {
  name: string;
  version: string;
  release: string;
  major: number;
  moduleStream: string | null;
}

/** What a mirror should show for a build, and where srcwatch looks for it: what a bug report quotes. */
export interface ExpectedSource {
  /** e.g. "tag imports/c8/kernel-4.18.0-477.15.1.el8_8", "file kernel-4.18.0-477.15.1.el8_8.src.rpm". */
  expected: string;
  /** The repository, index or feed srcwatch asks (never a secret: every URL here is the configured public one). */
  checkedUrl: string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (placeholder, key: string) => values[key] ?? placeholder);
}

/** Package names may hold `+` (libsigc++20): legal in a path segment, and forges spell it literally. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%2B/g, "+");
}

/**
 * The tag, file or erratum a mirror publishes a build as, and the URL srcwatch checks for it — from the same templates
 * the adapters poll with (sources/*), so the report names exactly what was looked for.
 */
export function describeExpectedSource(mirror: MirrorConfig, build: ExpectedBuild): ExpectedSource {
  const nvr = `${build.name}-${build.version}-${build.release}`;
  const values = { name: build.name, nvr, major: String(build.major), module: build.name, moduleStream: build.moduleStream ?? "" };
  switch (mirror.kind) {
    case "git-forge": {
      const template = build.moduleStream && mirror.moduleTagTemplate ? mirror.moduleTagTemplate : mirror.tagTemplate;
      return { expected: `tag ${fill(template, values)}`, checkedUrl: fill(mirror.repoUrlTemplate, { name: encodeSegment(build.name) }) };
    }
    case "gitlab":
      return {
        expected: `tag ${fill(mirror.tagTemplate, values)}`,
        checkedUrl: `${new URL(mirror.apiUrl).origin}/${fill(mirror.projectPathTemplate, { name: encodeSegment(build.name) })}`,
      };
    case "yum-repo":
      return { expected: `file ${nvr}.src.rpm`, checkedUrl: fill(mirror.repoUrlTemplates[0], values) };
    case "srpm-index":
      return { expected: `file ${nvr}.src.rpm`, checkedUrl: fill(mirror.indexUrlTemplate, values) };
    case "almalinux-errata":
      return { expected: `an erratum listing ${nvr}`, checkedUrl: fill(mirror.errataUrlTemplate, values) };
    case "rocky-apollo":
      return { expected: `an erratum listing ${nvr}`, checkedUrl: mirror.apiUrl };
  }
}
