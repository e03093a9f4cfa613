import { describe, expect, it } from "vitest";
import { findEgressRefusal } from "./find-egress-refusal";
import { isPublicAddress } from "./is-public-address";

describe("findEgressRefusal", () => {
  const policy = { allowedHosts: ["errata.example.org", "mirror.example.org:8443", "*.cdn.example.net"], allowPrivateNetwork: false };

  it.each([
    ["https://errata.example.org/9/errata.full.json", null],
    ["http://errata.example.org/9/errata.full.json", null],
    ["https://mirror.example.org:8443/repodata/repomd.xml", null],
    ["https://eu.cdn.example.net/primary.xml.gz", null],
    ["https://ERRATA.example.org/x", null],
    ["https://mirror.example.org/repodata/repomd.xml", "mirror.example.org is not one of this source's hosts"],
    ["https://errata.example.org:8080/x", "errata.example.org:8080 is not one of this source's hosts"],
    ["https://cdn.example.net/x", "cdn.example.net is not one of this source's hosts"],
    ["https://evilcdn.example.net/x", "evilcdn.example.net is not one of this source's hosts"],
    ["https://eu.cdn.example.net:444/x", "eu.cdn.example.net:444 is not one of this source's hosts"],
    ["ftp://errata.example.org/x", "ftp: URLs are not fetched"],
    ["file:///etc/passwd", "file: URLs are not fetched"],
    ["gopher://errata.example.org/x", "gopher: URLs are not fetched"],
  ])("judges %s", (url, refusal) => {
    expect(findEgressRefusal(new URL(url), policy)).toBe(refusal);
  });

  it.each([
    "http://127.0.0.1/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://169.254.169.254/",
    "http://[::1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fd00:ec2::254]/",
    "http://10.0.0.5/",
    "http://0.0.0.0/",
  ])("refuses the private address literal %s even when its host is allowed", (url) => {
    const host = new URL(url).host;
    expect(findEgressRefusal(new URL(url), { allowedHosts: [host], allowPrivateNetwork: false })).toBe(`${host} is not a public address`);
    expect(findEgressRefusal(new URL(url), { allowedHosts: [host], allowPrivateNetwork: true })).toBeNull();
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["8.8.8.8", true],
    ["2a00:1450:4001:80b::200e", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["172.31.255.255", false],
    ["192.168.1.1", false],
    ["100.64.0.1", false],
    ["100.100.100.200", false],
    ["169.254.169.254", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["::", false],
    ["::1", false],
    ["fe80::1", false],
    ["fc00::1", false],
    ["fd00:ec2::254", false],
    ["ff02::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:169.254.169.254", false],
    ["::ffff:8.8.8.8", true],
    ["64:ff9b::a9fe:a9fe", false],
    ["not-an-address", false],
  ])("classifies %s as public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
