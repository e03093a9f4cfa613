// The config the serving benchmark runs the app with: one CSAF upstream and six mirrors of the kinds srcwatch polls,
// with their real thresholds (config/srcwatch.json). Nothing is polled during the benchmark; the URLs only name things.

const LISTING_POLICY = { expectedLagHours: 72, missingAfterHours: 336, staleAfterMinutes: 720, streams: ["main"] };

/** `openelaTrackedFrom`: the day OpenELA began (updates released before it are not applicable unless it has them). */
export function buildServingConfig(input: { openelaTrackedFrom: string }) {
  return {
    upstreams: [
      {
        id: "redhat-csaf",
        kind: "csaf",
        name: "Red Hat CSAF",
        baseUrl: "https://security.access.redhat.com/data/csaf/v2/advisories/",
        startDate: "2023-01-01",
        majors: [8, 9],
      },
    ],
    mirrors: [
      {
        id: "git.centos.org",
        kind: "git-forge",
        name: "git.centos.org",
        majors: [8, 9],
        streams: ["main"],
        repoUrlTemplate: "https://git.centos.org/rpms/{name}.git",
        tagTemplate: "imports/c{major}/{nvr}",
        tagWebUrlTemplate: "https://git.centos.org/rpms/{name}/c/{sha}",
        expectedLagHours: 48,
        missingAfterHours: 168,
        staleAfterMinutes: 360,
      },
      {
        id: "centos-stream",
        kind: "gitlab",
        name: "CentOS Stream",
        relation: "related",
        majors: [9, 10],
        apiUrl: "https://gitlab.com/api/v4",
        projectPathTemplate: "redhat/centos-stream/rpms/{name}",
        tagTemplate: "{nvr}",
        tagWebUrlTemplate: "https://gitlab.com/redhat/centos-stream/rpms/{name}/-/tags/{tag}",
        ...LISTING_POLICY,
      },
      {
        id: "oracle-srpms",
        kind: "srpm-index",
        name: "Oracle Linux SRPMs",
        majors: [8, 9],
        indexUrlTemplate: "https://oss.oracle.com/ol{major}/SRPMS-updates/",
        ...LISTING_POLICY,
      },
      {
        id: "almalinux-errata",
        kind: "almalinux-errata",
        name: "AlmaLinux errata",
        majors: [8, 9],
        errataUrlTemplate: "https://errata.almalinux.org/{major}/errata.full.json",
        erratumWebUrlTemplate: "https://errata.almalinux.org/{major}/{idDash}.html",
        ...LISTING_POLICY,
      },
      {
        id: "rocky-errata",
        kind: "rocky-apollo",
        name: "Rocky Linux errata",
        majors: [8, 9],
        apiUrl: "https://apollo.build.resf.org/api/v3",
        erratumWebUrlTemplate: "https://errata.rockylinux.org/{id}",
        ...LISTING_POLICY,
      },
      {
        id: "openela",
        kind: "git-forge",
        name: "OpenELA",
        majors: [8, 9],
        repoUrlTemplate: "https://github.com/openela-main/{name}.git",
        tagTemplate: "imports/el{major}/{nvr}",
        tagWebUrlTemplate: "https://github.com/openela-main/{name}/releases/tag/{tag}",
        trackedFrom: input.openelaTrackedFrom,
        ...LISTING_POLICY,
      },
    ],
  };
}
