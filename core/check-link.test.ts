import { describe, expect, it } from "vitest";
import {
  checkLink,
  chooseAdvisoryLink,
  createLinkPolicy,
  fillLinkTemplate,
  findLinkHost,
  normaliseLinkHost,
  toSafeHref,
} from "./check-link";
import { CsafFeedConfig } from "./config";

const redHat = { hosts: ["access.redhat.com"], allowHttp: false };

describe("checkLink", () => {
  it.each([
    ["an https link on the host", "https://access.redhat.com/errata/RHSA-2024:0010", "https://access.redhat.com/errata/RHSA-2024:0010"],
    [
      "an upper-case scheme and host, normalised",
      "HTTPS://ACCESS.REDHAT.COM/errata/RHSA-2024:0010",
      "https://access.redhat.com/errata/RHSA-2024:0010",
    ],
    ["the default port, dropped", "https://access.redhat.com:443/errata/X", "https://access.redhat.com/errata/X"],
  ])("keeps %s", (_case, url, expected) => {
    expect(checkLink(url, redHat)).toBe(expected);
  });

  it.each([
    ["javascript:", "javascript:alert(document.domain)//errata/RHSA-2024:0010"],
    ["upper-case JAVASCRIPT:", "JAVASCRIPT:alert(1)//access.redhat.com/errata/"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["a host that only starts with the allowed one", "https://access.redhat.com.evil.example/errata/X"],
    ["the allowed host as userinfo", "https://access.redhat.com@evil.example/errata/X"],
    ["credentials on the allowed host", "https://user:secret@access.redhat.com/errata/X"],
    ["an http downgrade", "http://access.redhat.com/errata/X"],
    ["a subdomain", "https://evil.access.redhat.com/errata/X"],
    ["a trailing dot host", "https://access.redhat.com./errata/X"],
    ["another port", "https://access.redhat.com:8443/errata/X"],
    ["a leading space", " https://access.redhat.com/errata/X"],
    ["a tab inside the scheme", "java\tscript:alert(1)"],
    ["a newline inside the scheme", "java\nscript:alert(1)"],
    ["a NUL byte", "https://access.redhat.com/\u0000"],
    ["a no-break space", "https://access.redhat.com/\u00a0errata"],
    ["a zero-width space", "https://access.redhat.com\u200b/errata/X"],
    ["an IDN look-alike (Cyrillic а)", "https://аccess.redhat.com/errata/X"],
    ["a protocol-relative link", "//access.redhat.com/errata/X"],
    ["a relative path", "/errata/X"],
    ["an empty string", ""],
  ])("refuses %s", (_case, url) => {
    expect(checkLink(url, redHat)).toBeNull();
  });

  it("allows http only when the policy does, and an IDN host given in Unicode matches its punycode form", () => {
    expect(checkLink("http://127.0.0.1:4010/rocky/RLSA-2023_1", createLinkPolicy(["http://127.0.0.1:4010/rocky/{idUnderscore}"]))).toBe(
      "http://127.0.0.1:4010/rocky/RLSA-2023_1",
    );
    expect(
      checkLink("http://127.0.0.1:4011/rocky/RLSA-2023_1", createLinkPolicy(["http://127.0.0.1:4010/rocky/{idUnderscore}"])),
    ).toBeNull();
    expect(checkLink("https://xn--bcher-kva.example/x", { hosts: ["bücher.example"], allowHttp: false })).toBe(
      "https://xn--bcher-kva.example/x",
    );
  });
});

describe("createLinkPolicy", () => {
  it("takes the hosts of the configured URLs and allows http only when one of them is http", () => {
    expect(createLinkPolicy(["https://errata.almalinux.org/{major}/{idDash}.html", "https://git.almalinux.org/rpms/{name}.git"])).toEqual({
      hosts: ["errata.almalinux.org", "git.almalinux.org"],
      allowHttp: false,
    });
    expect(createLinkPolicy(["http://127.0.0.1:4010/oracle/ol{major}/SRPMS-updates/"])).toEqual({
      hosts: ["127.0.0.1:4010"],
      allowHttp: true,
    });
    expect(createLinkPolicy(["ftp://mirror.example/{major}/", "not a url"])).toEqual({ hosts: [], allowHttp: false });
  });
});

describe("fillLinkTemplate", () => {
  it("encodes values so that none can leave the template's path segment", () => {
    expect(fillLinkTemplate("https://access.redhat.com/errata/{id}", { id: "RHSA-2024:0010" })).toBe(
      "https://access.redhat.com/errata/RHSA-2024:0010",
    );
    expect(fillLinkTemplate("https://access.redhat.com/errata/{id}", { id: "../../evil?x=1#y" })).toBe(
      "https://access.redhat.com/errata/..%2F..%2Fevil%3Fx%3D1%23y",
    );
    expect(fillLinkTemplate("https://x.example/{unknown}", {})).toBe("https://x.example/{unknown}");
  });
});

describe("chooseAdvisoryLink", () => {
  const config = { advisoryUrlTemplate: "https://access.redhat.com/errata/{id}", advisoryLinkHosts: ["access.redhat.com"] };

  it("keeps the feed's own link when it is https on an allowed host", () => {
    expect(chooseAdvisoryLink("RHSA-2024:0010", "https://access.redhat.com/errata/RHSA-2024:0010", config)).toEqual({
      url: "https://access.redhat.com/errata/RHSA-2024:0010",
      refusedUrl: null,
    });
  });

  it("builds the link from the template when the feed has none", () => {
    expect(chooseAdvisoryLink("RHBA-2024:0001", undefined, config)).toEqual({
      url: "https://access.redhat.com/errata/RHBA-2024:0001",
      refusedUrl: null,
    });
  });

  it.each(["javascript:alert(document.domain)//errata/RHSA-2024:0010", "https://errata.evil.example/errata/RHSA-2024:0010"])(
    "refuses the feed's link %s and builds it from the template",
    (feedUrl) => {
      expect(chooseAdvisoryLink("RHSA-2024:0010", feedUrl, config)).toEqual({
        url: "https://access.redhat.com/errata/RHSA-2024:0010",
        refusedUrl: feedUrl,
      });
    },
  );
});

describe("toSafeHref", () => {
  it.each([
    ["https://git.centos.org/rpms/bash/c/abc", "https://git.centos.org/rpms/bash/c/abc"],
    ["http://127.0.0.1:4010/oracle/x.src.rpm", "http://127.0.0.1:4010/oracle/x.src.rpm"],
    ["javascript:alert(1)", null],
    ["JavaScript:alert(1)", null],
    [" javascript:alert(1)", null],
    ["data:text/html,x", null],
    ["https://access.redhat.com@evil.example/", null],
    ["", null],
    [null, null],
  ])("renders %j as %j", (url, expected) => {
    expect(toSafeHref(url)).toBe(expected);
  });
});

describe("findLinkHost", () => {
  it("names the host a link really points at", () => {
    expect(findLinkHost("https://access.redhat.com/errata/X")).toBe("access.redhat.com");
    expect(findLinkHost("https://access.redhat.com.evil.example/errata/X")).toBe("access.redhat.com.evil.example");
    expect(findLinkHost("javascript:alert(1)")).toBeNull();
  });
});

describe("normaliseLinkHost", () => {
  it.each([
    ["access.redhat.com", "access.redhat.com"],
    ["Access.RedHat.com", "access.redhat.com"],
    ["127.0.0.1:4010", "127.0.0.1:4010"],
    ["access.redhat.com:443", "access.redhat.com"],
    ["bücher.example", "xn--bcher-kva.example"],
    ["access.redhat.com/errata", null],
    ["user@access.redhat.com", null],
    ["access.redhat.com evil", null],
    ["", null],
  ])("writes %j as %j", (host, expected) => {
    expect(normaliseLinkHost(host)).toBe(expected);
  });

  it("backs the config's check of advisoryLinkHosts, whose default is Red Hat's own host", () => {
    const base = {
      id: "feed",
      kind: "csaf",
      name: "Feed",
      baseUrl: "https://security.access.redhat.com/data/csaf/v2/advisories/",
      startDate: "2023-01-01",
      majors: [9],
    };
    expect(CsafFeedConfig.parse(base)).toMatchObject({
      advisoryUrlTemplate: "https://access.redhat.com/errata/{id}",
      advisoryLinkHosts: ["access.redhat.com"],
    });
    expect(CsafFeedConfig.safeParse({ ...base, advisoryLinkHosts: ["https://access.redhat.com/"] }).success).toBe(false);
    expect(CsafFeedConfig.safeParse({ ...base, advisoryUrlTemplate: "https://access.redhat.com/errata/" }).success).toBe(false);
  });
});
