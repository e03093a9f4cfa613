import path from "node:path";

/** Real files from the sources, byte for byte (provenance: README.md here). SRCWATCH_SAMPLES_DIR overrides. */
export const SAMPLES_DIR = process.env.SRCWATCH_SAMPLES_DIR ?? import.meta.dirname;
export const samplePath = (...parts: string[]) => path.join(SAMPLES_DIR, ...parts);
