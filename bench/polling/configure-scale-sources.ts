import type { SrcwatchConfig } from "../../core/config";
import { parseConfig } from "../../server/config/load-config";

/** One cycle of the worker: the interval every mirror and the feed are polled at in the benchmarks. */
export const BENCH_POLL_INTERVAL_SECONDS = 1800;

/**
 * No politeness delay and caps far above a 100k catalogue's listings (AlmaLinux's errata.full.json grows with history):
 * what is measured is what the sources ask, not how long they wait. The simulator is on loopback.
 */
function createBenchFetchPolicy() {
  return {
    pollIntervalSeconds: BENCH_POLL_INTERVAL_SECONDS,
    timeoutMs: 120_000,
    retries: 1,
    perHostMinIntervalMs: 0,
    concurrency: 8,
    maxResponseBytes: 1024 * 1024 * 1024,
    pollTimeoutSeconds: 6 * 3600,
    staleAfterMinutes: 2880,
    egress: { allowPrivateNetwork: true },
  };
}

/** The simulator's CSAF feed as srcwatch's upstream, reading everything released since `startDate`. */
export function configureScaleUpstream(csafBaseUrl: string, startDate: string) {
  return {
    id: "redhat-csaf",
    kind: "csaf",
    name: "Red Hat CSAF",
    baseUrl: csafBaseUrl,
    startDate,
    majors: [8, 9],
    ...createBenchFetchPolicy(),
  };
}

/** Every mirror the scale simulator serves, configured as config/demo.json configures the real ones. */
export function configureScaleSources(input: { simulatorUrl: string; csafBaseUrl: string; startDate: string }): SrcwatchConfig {
  const url = input.simulatorUrl;
  const policy = createBenchFetchPolicy();
  const thresholds = { expectedLagHours: 72, missingAfterHours: 336 };
  return parseConfig(
    {
      upstreams: [configureScaleUpstream(input.csafBaseUrl, input.startDate)],
      mirrors: [
        {
          id: "git.centos.org",
          kind: "git-forge",
          name: "git.centos.org",
          majors: [8, 9],
          repoUrlTemplate: `${url}/rpms/{name}.git`,
          tagTemplate: "imports/c{major}/{nvr}",
          tagWebUrlTemplate: `${url}/rpms/{name}/c/{sha}`,
          pagureApiUrl: `${url}/api/0`,
          expectedLagHours: 48,
          missingAfterHours: 168,
          ...policy,
        },
        {
          id: "centos-stream",
          kind: "gitlab",
          name: "CentOS Stream",
          relation: "related",
          majors: [9],
          apiUrl: `${url}/gitlab/api/v4`,
          projectPathTemplate: "redhat/centos-stream/rpms/{name}",
          tagTemplate: "{nvr}",
          tagWebUrlTemplate: `${url}/gitlab/redhat/centos-stream/rpms/{name}/-/tags/{tag}`,
          requestsPerMinute: 1_000_000,
          ...thresholds,
          ...policy,
        },
        {
          id: "oracle-srpms",
          kind: "srpm-index",
          name: "Oracle Linux SRPMs",
          majors: [8, 9],
          indexUrlTemplate: `${url}/oracle/ol{major}/SRPMS-updates/`,
          ...thresholds,
          ...policy,
        },
        {
          id: "oracle-yum",
          kind: "yum-repo",
          name: "Oracle Linux yum repository",
          majors: [8, 9],
          repoUrlTemplates: [`${url}/oracle/repo/OracleLinux/OL{major}/baseos/latest/SRPMS/`],
          ...thresholds,
          ...policy,
        },
        {
          id: "almalinux-errata",
          kind: "almalinux-errata",
          name: "AlmaLinux errata",
          majors: [8, 9],
          errataUrlTemplate: `${url}/almalinux/{major}/errata.full.json`,
          erratumWebUrlTemplate: `${url}/almalinux/{major}/{idUnderscore}.html`,
          ...thresholds,
          ...policy,
        },
        {
          id: "rocky-errata",
          kind: "rocky-apollo",
          name: "Rocky Linux errata",
          majors: [8, 9],
          apiUrl: `${url}/rocky/api/v3`,
          erratumWebUrlTemplate: `${url}/rocky/{idUnderscore}`,
          ...thresholds,
          ...policy,
        },
      ],
    },
    "scale benchmark",
  );
}
