import "server-only";

import { parseNevra } from "../../core/nevra";

export type SearchTerm =
  | { kind: "advisory"; id: string }
  /** `2023:3722`: the number without its RHSA / RHBA / RHEA prefix. */
  | { kind: "advisory_number"; suffix: string }
  | { kind: "cve"; cve: string }
  /** epoch null when the text did not name one. */
  | { kind: "nevra"; name: string; epoch: number | null; version: string; release: string }
  | { kind: "text"; text: string };

const ADVISORY_ID = /^(RH[SBE]A)[-_ ]?(\d{4})[:_-](\d{4,})$/i;
const ADVISORY_NUMBER = /^(\d{4})[:_](\d{4,})$/;
const CVE = /^CVE-(\d{4})-(\d{4,})$/i;
const HAS_EPOCH = /(^\d+:)|(-\d+:)/;

/** What a search box's text names: an advisory id in any common spelling, a CVE, a NEVRA / NVR, or plain text. */
export function parseSearchText(input: string): SearchTerm | null {
  const text = input.trim();
  if (!text) return null;
  const advisory = ADVISORY_ID.exec(text);
  if (advisory) return { kind: "advisory", id: `${advisory[1].toUpperCase()}-${advisory[2]}:${advisory[3]}` };
  const number = ADVISORY_NUMBER.exec(text);
  if (number) return { kind: "advisory_number", suffix: `-${number[1]}:${number[2]}` };
  const cve = CVE.exec(text);
  if (cve) return { kind: "cve", cve: `CVE-${cve[1]}-${cve[2]}` };
  const nevra = parseNevra(text);
  // "gnome-shell-extensions" parses as an NVR too: a real version and release carry digits.
  if (nevra && /^\d/.test(nevra.version) && /\d/.test(nevra.release)) {
    return {
      kind: "nevra",
      name: nevra.name,
      epoch: HAS_EPOCH.test(text) ? nevra.epoch : null,
      version: nevra.version,
      release: nevra.release,
    };
  }
  return { kind: "text", text };
}
