import { describe, expect, it } from "vitest";
import { parseSrpmIndex } from "./parse-srpm-index";
import { APACHE_INDEX, NGINX_INDEX } from "./test-support/index-page-fixtures";

describe("parseSrpmIndex", () => {
  it("lists the SRPMs of an Apache autoindex page with their modification times", () => {
    const result = parseSrpmIndex(APACHE_INDEX);
    expect(result).toEqual({
      ok: true,
      entries: [
        {
          fileName: "389-ds-base-1.4.3.35-1.module+el8.8.0+21037+8ee66348.src.rpm",
          href: "389-ds-base-1.4.3.35-1.module%2bel8.8.0%2b21037%2b8ee66348.src.rpm",
          modifiedAt: new Date("2023-05-22T18:09:00Z"),
        },
        {
          fileName: "kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm",
          href: "kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm",
          modifiedAt: new Date("2023-09-21T07:12:00Z"),
        },
        {
          fileName: "openssl-1.1.1k-9.el8_7.src.rpm",
          href: "openssl-1.1.1k-9.el8_7.src.rpm",
          modifiedAt: new Date("2023-06-20T14:03:00Z"),
        },
      ],
    });
  });

  it("reads nginx's <pre> listing, whose link text is cut short", () => {
    const result = parseSrpmIndex(NGINX_INDEX);
    expect(result.ok && result.entries).toEqual([
      { fileName: "bash-5.1.8-6.el9_1.src.rpm", href: "bash-5.1.8-6.el9_1.src.rpm", modifiedAt: new Date("2023-01-24T16:41:00Z") },
      {
        fileName: "nodejs-18.14.2-2.module+el9.1.0+21033+1d3e47f6.src.rpm",
        href: "nodejs-18.14.2-2.module%2Bel9.1.0%2B21033%2B1d3e47f6.src.rpm",
        modifiedAt: new Date("2023-03-06T09:05:00Z"),
      },
    ]);
  });

  it("leaves the time unknown when the row has none", () => {
    const result = parseSrpmIndex(
      `<html><head><title>Index of /x</title></head><body><ul><li><a href="zlib-1.2.11-40.el9.src.rpm">zlib</a></li></ul></body></html>`,
    );
    expect(result.ok && result.entries).toEqual([
      { fileName: "zlib-1.2.11-40.el9.src.rpm", href: "zlib-1.2.11-40.el9.src.rpm", modifiedAt: null },
    ]);
  });

  it("accepts an empty directory", () => {
    expect(parseSrpmIndex(APACHE_INDEX.replace(/<tr><td valign="top"><img src="\/icons\/(unknown|text)[\s\S]*?<\/tr>\n/g, ""))).toEqual({
      ok: true,
      entries: [],
    });
  });

  it.each([
    [
      "a maintenance page served with 200",
      "<!DOCTYPE html><html><head><title>Oracle | Maintenance</title></head><body>Back soon</body></html>",
      /not a directory index/,
    ],
    ["a truncated page", APACHE_INDEX.slice(0, APACHE_INDEX.indexOf("openssl")), /truncated/],
    ["JSON", '{"files":[]}', /not a directory index/],
    ["an undecodable link", APACHE_INDEX.replace('kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm">', 'kernel-%E0%A4%A.src.rpm">'), /undecodable/],
  ])("rejects %s as a parse error", (_case, html, message) => {
    expect(parseSrpmIndex(html)).toEqual({ ok: false, error: { kind: "parse", message: expect.stringMatching(message) } });
  });
});
