/** Where a link taken from upstream data may point: these hosts (with port when not the default), https only unless allowHttp. */
export interface LinkPolicy {
  hosts: readonly string[];
  allowHttp: boolean;
}

// Browsers strip or skip these before parsing (`java\tscript:`, a leading space): a link carrying any of them is refused, not cleaned.
// eslint-disable-next-line no-control-regex -- matching control characters is what this expression is for
const WHITESPACE_OR_CONTROL = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;

function parseUrl(text: string): URL | null {
  if (WHITESPACE_OR_CONTROL.test(text)) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** `access.redhat.com` or `127.0.0.1:8080` as the URL parser writes it (lower case, punycode, default port dropped); null when not a host. */
export function normaliseLinkHost(host: string): string | null {
  const parsed = parseUrl(`https://${host}/`);
  if (!parsed || parsed.username || parsed.password || parsed.pathname !== "/" || parsed.search || parsed.hash) return null;
  return parsed.host;
}

/** The normalised href when `url` is an https (or allowed http) link on one of the policy's hosts, without credentials; else null. */
export function checkLink(url: string, policy: LinkPolicy): string | null {
  const parsed = parseUrl(url);
  if (!parsed) return null;
  if (parsed.protocol !== "https:" && !(policy.allowHttp && parsed.protocol === "http:")) return null;
  if (parsed.username || parsed.password) return null;
  return listPolicyHosts(policy).has(parsed.host) ? parsed.href : null;
}

// A poll checks every build's link against one policy: its hosts are normalised once, not per link.
const normalisedHostsByPolicy = new WeakMap<LinkPolicy, ReadonlySet<string | null>>();

function listPolicyHosts(policy: LinkPolicy): ReadonlySet<string | null> {
  let hosts = normalisedHostsByPolicy.get(policy);
  if (!hosts) {
    hosts = new Set(policy.hosts.map(normaliseLinkHost));
    normalisedHostsByPolicy.set(policy, hosts);
  }
  return hosts;
}

/**
 * The policy of links built from an operator's own URLs and templates: their hosts, and http only when one of
 * them is http. Placeholders must not sit in the host part (`{major}` in a path is fine).
 */
export function createLinkPolicy(configuredUrls: readonly string[]): LinkPolicy {
  const hosts = new Set<string>();
  let allowHttp = false;
  for (const configured of configuredUrls) {
    const parsed = parseUrl(configured.replace(/\{\w+\}/g, "x"));
    if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) continue;
    hosts.add(parsed.host);
    if (parsed.protocol === "http:") allowHttp = true;
  }
  return { hosts: [...hosts], allowHttp };
}

/** Fills `{placeholder}`s with URL-encoded values, so no value can add a path, query or host to the link. */
export function fillLinkTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? encodeURIComponent(values[name]).replace(/%3A/gi, ":") : placeholder,
  );
}

/**
 * Last line of defence where a stored link is rendered (pages, mail, feeds, webhooks): the href when it is a
 * plain http(s) link without credentials, else null (render text, not a link). Rows stored before links were checked pass here too.
 */
export function toSafeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) return null;
  if (parsed.username || parsed.password) return null;
  return parsed.href;
}

/** The host a safe link really points at, for labels ("RHSA-2024:0010 on access.redhat.com"); null when not a safe link. */
export function findLinkHost(url: string | null | undefined): string | null {
  const href = toSafeHref(url);
  return href === null ? null : new URL(href).hostname;
}

/** How an upstream's advisory pages are linked (core/config.ts: `advisoryUrlTemplate`, `advisoryLinkHosts`). */
export interface AdvisoryLinkConfig {
  /** `{id}` is filled with the advisory id, e.g. https://access.redhat.com/errata/{id} */
  advisoryUrlTemplate: string;
  /** Hosts a link found in the feed may point at (https only). */
  advisoryLinkHosts: readonly string[];
}

export const DEFAULT_ADVISORY_LINKS = {
  advisoryUrlTemplate: "https://access.redhat.com/errata/{id}",
  advisoryLinkHosts: ["access.redhat.com"],
} as const satisfies AdvisoryLinkConfig;

/**
 * An advisory's web page: the feed's own link when it is https on an allowed host, else the one built from the
 * template. `refusedUrl` is the feed's link when it was refused, for the worker log.
 */
export function chooseAdvisoryLink(
  id: string,
  feedUrl: string | null | undefined,
  config: AdvisoryLinkConfig,
): { url: string; refusedUrl: string | null } {
  const built = fillLinkTemplate(config.advisoryUrlTemplate, { id });
  if (feedUrl === null || feedUrl === undefined) return { url: built, refusedUrl: null };
  const checked = checkLink(feedUrl, { hosts: config.advisoryLinkHosts, allowHttp: false });
  return checked === null ? { url: built, refusedUrl: feedUrl } : { url: checked, refusedUrl: null };
}
