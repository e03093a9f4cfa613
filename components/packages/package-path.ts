export function packagePath(name: string): string {
  return `/packages/${encodeURIComponent(name)}`;
}

/** "bash-0:4.4.20-4.el8_6" → "bash" */
export function packageNameOf(nevra: string): string {
  return nevra.replace(/-[^-]+-[^-]+$/, "");
}
