export interface NormalisedRelease {
  /** The release with rebuild suffixes and module build contexts taken out. */
  base: string;
  /** What was taken out, in words shown to users: "Oracle rebuild suffix .0.1", "AlmaLinux suffix .alma.1"… */
  removed: string[];
}

const DISTRO_SUFFIX = /\.(alma|rocky)((?:\.\d+)*)$/;
const DISTRO_NAMES: Record<string, string> = { alma: "AlmaLinux", rocky: "Rocky Linux" };
// `.module+el8.8.0+18745+f1bef313`, AlmaLinux `.module_el8.5.0+2632+14ced695`; the context ends the tag.
const MODULE_TAG = /\.module([+_])(el\d+\.\d+\.\d+)(\+\d+\+[0-9a-f]+)?(?=$|\.)/g;
// Oracle's `.0.N` counts only right before the dist tag: `0.68.rc1.el6_10` keeps its `0.68`.
const ORACLE_SUFFIX = /(?:\.0\.[1-9]\d*)+(?=\.(?:el\d|module[+_]el\d))/g;

/**
 * Takes out what rebuilders add to RHEL's release: AlmaLinux `.alma.N`, Rocky `.rocky.N.M` (at the end), Oracle
 * `.0.N` (before the dist tag) and module build contexts (`.module+el8.8.0+18745+f1bef313` → `.module+el8.8.0`).
 * Variant markers (`_fips`, `.ksplice1`, `.cloud`) are kept: those builds are not rebuilds of RHEL's.
 */
export function normaliseRelease(release: string): NormalisedRelease {
  let base = release;
  const distroRemoved: string[] = [];
  for (let suffix = DISTRO_SUFFIX.exec(base); suffix; suffix = DISTRO_SUFFIX.exec(base)) {
    distroRemoved.unshift(`${DISTRO_NAMES[suffix[1]]} suffix ${suffix[0]}`);
    base = base.slice(0, suffix.index);
  }

  const moduleRemoved: string[] = [];
  base = base.replace(MODULE_TAG, (_tag, separator: string, dist: string, context: string | undefined) => {
    if (context) moduleRemoved.push(`module build context ${context}`);
    else if (separator === "_") moduleRemoved.push("module tag spelling .module_");
    return `.module+${dist}`;
  });

  const oracleRemoved: string[] = [];
  base = base.replace(ORACLE_SUFFIX, (suffix) => {
    oracleRemoved.push(`Oracle rebuild suffix ${suffix}`);
    return "";
  });

  return { base, removed: [...oracleRemoved, ...moduleRemoved, ...distroRemoved] };
}
