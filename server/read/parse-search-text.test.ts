import { describe, expect, it } from "vitest";
import { parseSearchText, type SearchTerm } from "./parse-search-text";

describe("parseSearchText", () => {
  it.each<[string, SearchTerm | null]>([
    ["RHSA-2023:3722", { kind: "advisory", id: "RHSA-2023:3722" }],
    ["rhsa-2023_3722", { kind: "advisory", id: "RHSA-2023:3722" }],
    ["  rhba-2023:4101 ", { kind: "advisory", id: "RHBA-2023:4101" }],
    ["RHEA2023:3560", { kind: "advisory", id: "RHEA-2023:3560" }],
    ["2023:3722", { kind: "advisory_number", suffix: "-2023:3722" }],
    ["cve-2023-0286", { kind: "cve", cve: "CVE-2023-0286" }],
    ["CVE-2023-24329", { kind: "cve", cve: "CVE-2023-24329" }],
    ["bash-4.4.20-4.el8_6", { kind: "nevra", name: "bash", epoch: null, version: "4.4.20", release: "4.el8_6" }],
    ["openssl-1:1.1.1k-9.el8_7", { kind: "nevra", name: "openssl", epoch: 1, version: "1.1.1k", release: "9.el8_7" }],
    ["1:openssl-1.1.1k-9.el8_7.src.rpm", { kind: "nevra", name: "openssl", epoch: 1, version: "1.1.1k", release: "9.el8_7" }],
    ["bash-0:4.4.20-4.el8_6", { kind: "nevra", name: "bash", epoch: 0, version: "4.4.20", release: "4.el8_6" }],
    ["python3.11-3.11.2-2.el8_8.1.x86_64", { kind: "nevra", name: "python3.11", epoch: null, version: "3.11.2", release: "2.el8_8.1" }],
    ["gnome-shell-extensions", { kind: "text", text: "gnome-shell-extensions" }],
    ["openssl", { kind: "text", text: "openssl" }],
    ["   ", null],
  ])("reads %j", (text, expected) => {
    expect(parseSearchText(text)).toEqual(expected);
  });
});
