import "server-only";

import type { SrcwatchConfig } from "../../core/config";
import type { Db } from "../db/client";
import { encodeMirrorConfig } from "../db/codecs/mirror-config-codec";

/** Mirror rows follow the config file: added, renamed, reconfigured. Removed mirrors keep their history. */
export async function syncConfiguredMirrors(db: Db, config: SrcwatchConfig): Promise<{ changedMirrorIds: string[] }> {
  const changedMirrorIds: string[] = [];
  for (const mirror of config.mirrors) {
    const serialized = encodeMirrorConfig(mirror);
    const existing = await db.mirror.findUnique({ where: { id: mirror.id }, select: { config: true } });
    if (existing?.config === serialized) continue;
    await db.mirror.upsert({
      where: { id: mirror.id },
      create: { id: mirror.id, name: mirror.name, kind: mirror.kind, config: serialized },
      update: { name: mirror.name, kind: mirror.kind, config: serialized },
    });
    changedMirrorIds.push(mirror.id);
  }
  return { changedMirrorIds };
}
