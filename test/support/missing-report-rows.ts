import type { MissingReportRow } from "../../contract/missing-report-dto";

/** A report row as the report reads it: openssl missing on git.centos.org, published on Oracle and (before tracking) OpenELA. */
export const OPENSSL_ROW: MissingReportRow = {
  advisoryId: "RHSA-2023:3722",
  type: "security",
  severity: "Important",
  title: "openssl security update",
  issuedAt: "2023-06-20T10:00:00.000Z",
  ageSeconds: 9 * 86_400 + 43_200,
  mirrorId: "git.centos.org",
  mirrorName: "git.centos.org",
  status: "missing",
  since: "2023-06-27T10:00:00.000Z",
  majors: [8],
  packages: ["openssl-1:1.1.1k-9.el8_7"],
  checks: [
    {
      package: "openssl-1:1.1.1k-9.el8_7",
      name: "openssl",
      major: 8,
      expected: "tag imports/c8/openssl-1.1.1k-9.el8_7",
      checkedUrl: "https://git.centos.org/rpms/openssl.git",
      lastCheckedAt: "2023-06-29T08:00:00.000Z",
      newestFound: { nevra: "openssl-1.1.1k-7.el8_6", url: "https://git.centos.org/rpms/openssl/c/abc" },
    },
  ],
  availableFrom: [
    {
      mirrorId: "oracle-srpms",
      mirrorName: "Oracle Linux SRPMs",
      relation: "exact",
      publishedPackages: 1,
      evidenceUrl: "https://oss.oracle.com/a.src.rpm",
      lagSeconds: 6 * 3600 + 1800,
      lagTimeOrigin: "index_date",
      lagPrecisionSeconds: null,
    },
    {
      mirrorId: "openela",
      mirrorName: "OpenELA",
      relation: "exact",
      publishedPackages: 1,
      evidenceUrl: "https://github.com/openela-main/openssl/tree/x",
      lagSeconds: null,
      lagTimeOrigin: "before_tracking",
      lagPrecisionSeconds: null,
    },
  ],
};
