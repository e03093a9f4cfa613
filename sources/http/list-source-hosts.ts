import type { MirrorConfig, UpstreamConfig } from "../../core/config";

export type SourceConfig = UpstreamConfig | MirrorConfig;
export type SourceKind = SourceConfig["kind"];

/** The URLs (or URL templates) a source of each kind fetches from; web-page templates are links, never fetched. */
const FETCHED_URLS: { [Kind in SourceKind]: (config: Extract<SourceConfig, { kind: Kind }>) => string[] } = {
  csaf: (config) => [config.baseUrl],
  osv: (config) => [config.baseUrl, config.indexUrl],
  updateinfo: (config) => config.repoUrlTemplates,
  "git-forge": (config) => [config.repoUrlTemplate, ...(config.pagureApiUrl ? [config.pagureApiUrl] : [])],
  gitlab: (config) => [config.apiUrl],
  "yum-repo": (config) => config.repoUrlTemplates,
  "srpm-index": (config) => [config.indexUrlTemplate],
  "almalinux-errata": (config) => [config.errataUrlTemplate],
  "rocky-apollo": (config) => [config.apiUrl],
};

/** The hosts (`host` or `host:port`, lower case) a source's own configured URLs point at, for each configured major. */
export function listSourceHosts(source: SourceConfig): string[] {
  const templates = (FETCHED_URLS[source.kind] as (config: SourceConfig) => string[])(source);
  const hosts = new Set<string>();
  for (const template of templates) {
    for (const major of source.majors) {
      const filled = template.replaceAll("{major}", String(major)).replaceAll(/\{[A-Za-z]+\}/g, "x");
      if (URL.canParse(filled)) hosts.add(new URL(filled).host);
    }
  }
  return [...hosts];
}
