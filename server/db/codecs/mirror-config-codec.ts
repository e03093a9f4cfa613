import "server-only";

import { MirrorConfig } from "../../../core/config";
import { decodeStoredJson, encodeStoredJson } from "../../../core/stored-json";

// Mirror.config: the mirror's configuration as last loaded. Its text is compared to tell a reconfigured mirror, so
// encoding a loaded config must give the same text each time (it does: the schema re-parses its own output unchanged).
const COLUMN = "Mirror.config";

export function encodeMirrorConfig(mirror: MirrorConfig): string {
  return encodeStoredJson(MirrorConfig, "MirrorConfig", mirror, { column: COLUMN, rowId: mirror.id });
}

export function decodeMirrorConfig(text: string, mirrorId: string): MirrorConfig {
  return decodeStoredJson(MirrorConfig, "MirrorConfig", text, { column: COLUMN, rowId: mirrorId });
}
