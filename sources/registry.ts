import type { MirrorConfig, MirrorKind, UpstreamConfig, UpstreamKind } from "../core/config";
import { almalinuxErrataSource } from "./almalinux-errata/almalinux-errata-source";
import { gitForgeSource } from "./git-forge/git-forge-source";
import { gitLabSource } from "./gitlab/gitlab-source";
import { srpmIndexSource } from "./oracle-srpm-index/srpm-index-source";
import { osvUpstreamSource } from "./osv/osv-upstream-source";
import { csafUpstreamSource } from "./redhat-csaf/csaf-upstream-source";
import { rockyApolloSource } from "./rocky-apollo/rocky-apollo-source";
import type { MirrorSource, UpstreamSource } from "./source-contracts";
import { updateinfoUpstreamSource } from "./yum-repo/updateinfo-upstream-source";
import { yumRepoSource } from "./yum-repo/yum-repo-source";

/** Every kind of upstream feed. A kind added to the config schema without an entry here does not type-check. */
export const UPSTREAM_SOURCES: { [K in UpstreamKind]: UpstreamSource<Extract<UpstreamConfig, { kind: K }>> } = {
  csaf: csafUpstreamSource,
  osv: osvUpstreamSource,
  updateinfo: updateinfoUpstreamSource,
};

/** Every kind of mirror. A kind added to the config schema without an entry here does not type-check. */
export const MIRROR_SOURCES: { [K in MirrorKind]: MirrorSource<Extract<MirrorConfig, { kind: K }>> } = {
  "git-forge": gitForgeSource,
  gitlab: gitLabSource,
  "yum-repo": yumRepoSource,
  "srpm-index": srpmIndexSource,
  "almalinux-errata": almalinuxErrataSource,
  "rocky-apollo": rockyApolloSource,
};
