import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { parseAlmaLinuxErrata } from "./parse-almalinux-errata";

const readSample = (file: string) => readFileSync(samplePath("almalinux", file));

describe("parseAlmaLinuxErrata", () => {
  it("reads the real errata.full.json: source packages from each package's src RPM, deduplicated", () => {
    const result = parseAlmaLinuxErrata(readSample("errata.full.json"));

    expect(result).toEqual({
      ok: true,
      rejected: [],
      errata: [
        {
          id: "ALBA-2021:3049",
          issuedAt: new Date("2021-08-10T09:54:43.000Z"),
          updatedAt: new Date("2021-08-10T09:54:36.000Z"),
          type: "bugfix",
          severity: "None",
          title: "pcsc-lite bug fix and enhancement update",
          sourcePackages: [
            { name: "pcsc-lite-ccid", epoch: 0, version: "1.4.29", release: "5.1.el8_4", moduleStream: null },
            { name: "pcsc-lite", epoch: 0, version: "1.8.23", release: "4.1.el8_4", moduleStream: null },
          ],
        },
        {
          id: "ALSA-2019:3708",
          issuedAt: new Date("2019-11-05T19:53:43.000Z"),
          updatedAt: new Date("2022-04-28T10:46:58.000Z"),
          type: "security",
          severity: "Moderate",
          title: "Moderate: mariadb:10.3 security and bug fix update",
          sourcePackages: [
            { name: "Judy", epoch: 0, version: "1.0.5", release: "18.module_el8.5.0+2632+14ced695", moduleStream: "mariadb:10.3" },
            { name: "Judy", epoch: 0, version: "1.0.5", release: "18.module_el8.3.0+2028+5e3224e9", moduleStream: "mariadb-devel:10.3" },
            { name: "Judy", epoch: 0, version: "1.0.5", release: "18.module_el8.6.0+2761+593e5e59", moduleStream: "mariadb:10.5" },
            { name: "Judy", epoch: 0, version: "1.0.5", release: "18.module_el8.6.0+2867+72759d2f", moduleStream: "mariadb:10.3" },
          ],
        },
      ],
    });
  });

  it("takes src entries as they are and keeps a non-zero epoch; a missing epoch is 0", () => {
    const file = {
      schema_version: "1.0",
      data: [
        {
          id: "ALSA-2023:3722",
          issued_date: 1686528000,
          updated_date: 1686700000,
          severity: "Important",
          title: "Important: openssl security update",
          type: "security",
          packages: [
            {
              name: "openssl",
              epoch: "1",
              version: "3.0.7",
              release: "16.el9_2",
              arch: "src",
              src: "",
              filename: "openssl-3.0.7-16.el9_2.src.rpm",
            },
            {
              name: "openssl-libs",
              epoch: "1",
              version: "3.0.7",
              release: "16.el9_2",
              arch: "x86_64",
              src: "openssl-3.0.7-16.el9_2.src.rpm",
              filename: "openssl-libs-3.0.7-16.el9_2.x86_64.rpm",
            },
            {
              name: "bash",
              version: "5.1.8",
              release: "6.el9_1",
              arch: "x86_64",
              src: "bash-5.1.8-6.el9_1.src.rpm",
              filename: "bash-5.1.8-6.el9_1.x86_64.rpm",
            },
          ],
          modules: [],
          references: [],
        },
      ],
    };

    const result = parseAlmaLinuxErrata(JSON.stringify(file));

    expect(result.ok && result.errata[0].sourcePackages).toEqual([
      { name: "openssl", epoch: 1, version: "3.0.7", release: "16.el9_2", moduleStream: null },
      { name: "bash", epoch: 0, version: "5.1.8", release: "6.el9_1", moduleStream: null },
    ]);
  });

  it("rejects an erratum of the wrong shape and keeps the others", () => {
    const real = JSON.parse(readSample("errata.full.json").toString("utf8"));
    real.data.push({ id: "ALSA-2024:0001", issued_date: "yesterday", packages: [] });

    const result = parseAlmaLinuxErrata(JSON.stringify(real));

    expect(result.ok && result.errata.map((erratum) => erratum.id)).toEqual(["ALBA-2021:3049", "ALSA-2019:3708"]);
    expect(result.ok && result.rejected).toEqual([{ id: "ALSA-2024:0001", message: expect.stringContaining("issued_date") }]);
  });

  const malformed: Array<[string, () => string | Buffer, "parse" | "invalid_data", RegExp]> = [
    ["truncated JSON", () => readSample("errata.full.json").subarray(0, 4000), "parse", /not JSON/],
    [
      "an HTML page served with status 200",
      () => "<!DOCTYPE html><html><body><h1>We'll be back soon</h1></body></html>",
      "parse",
      /got HTML/,
    ],
    [
      "the legacy errata.json format",
      () => readSample("errata.json.legacy-format.json"),
      "invalid_data",
      /not an AlmaLinux errata.full.json/,
    ],
    ["an object without data", () => JSON.stringify({ schema_version: "1.0", errata: [] }), "invalid_data", /data/],
    [
      "errata none of which has the expected shape",
      () => JSON.stringify({ schema_version: "1.0", data: [{ id: 1 }, { id: 2 }] }),
      "invalid_data",
      /no erratum has the expected shape/,
    ],
  ];

  it.each(malformed)("fails on %s with kind %s and no errata", (_label, makeBody, kind, message) => {
    const result = parseAlmaLinuxErrata(makeBody());

    expect(result).toEqual({ ok: false, error: { kind, message: expect.stringMatching(message) } });
  });
});
