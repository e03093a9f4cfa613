import { checkLink, createLinkPolicy } from "../../core/check-link";

function resolveUrl(href: string, base: string): string | null {
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}

/**
 * A package's link: its location under `xml:base` when that stays on the repository's host, else under the
 * configured repository root. The result is still checked (and refused when off the mirror's hosts) by the source.
 */
export function buildPackageLink(location: { href: string; base: string | null }, rootUrl: string): string | null {
  if (location.base !== null) {
    const underBase = resolveUrl(location.href, location.base);
    if (underBase !== null && checkLink(underBase, createLinkPolicy([rootUrl])) !== null) return underBase;
  }
  return resolveUrl(location.href, rootUrl);
}
