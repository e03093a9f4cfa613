import { checkLink, type LinkPolicy } from "../core/check-link";
import type { Evidence } from "../core/types";
import type { RefusedLink } from "./source-contracts";

/** Keeps each build's link only when it passes the mirror's link policy; a refused link becomes null and is reported. */
export function checkEvidenceLinks(builds: Evidence[], policy: LinkPolicy): { builds: Evidence[]; refusedLinks: RefusedLink[] } {
  const refusedLinks: RefusedLink[] = [];
  const checked = builds.map((build) => {
    if (build.url === null) return build;
    const url = checkLink(build.url, policy);
    if (url === null) refusedLinks.push({ item: build.ref, url: build.url });
    return { ...build, url };
  });
  return { builds: checked, refusedLinks };
}
