import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAvailable, matchBuild, type MatchOutcome, type EvidenceBuild } from "./match-build";
import { parseNevra } from "./nevra";
import { normaliseRelease } from "./normalise-release";
import { compareRpmVersion } from "./rpm-version";
import type { Nevra } from "./types";

function parsePackage(text: string): Nevra {
  const { arch: _arch, ...nevra } = parseNevra(text)!;
  return nevra;
}

/** A build written without an epoch is one whose mirror does not say it (a git tag). */
function parseBuild(text: string): EvidenceBuild {
  const nevra = parsePackage(text);
  return { ...nevra, epoch: text.includes(":") ? nevra.epoch : null };
}

describe("normaliseRelease", () => {
  it.each([
    ["477.27.1.el8_8", "477.27.1.el8_8", []],
    ["65.0.1.el8_8", "65.el8_8", ["Oracle rebuild suffix .0.1"]],
    ["32.0.2.el7", "32.el7", ["Oracle rebuild suffix .0.2"]],
    ["477.27.1.0.1.el8_8", "477.27.1.el8_8", ["Oracle rebuild suffix .0.1"]],
    ["65.0.1.module+el8.10.0+90356+f7b9d583", "65.module+el8.10.0", ["Oracle rebuild suffix .0.1", "module build context +90356+f7b9d583"]],
    ["0.68.rc1.el6_10.17", "0.68.rc1.el6_10.17", []],
    ["0.87.el7_9.4", "0.87.el7_9.4", []],
    ["0.1.el8", "0.1.el8", []],
    ["251.0.4.ksplice1.el8_10.31", "251.0.4.ksplice1.el8_10.31", []],
    ["139.module+el8.8.0+18745+f1bef313", "139.module+el8.8.0", ["module build context +18745+f1bef313"]],
    ["139.module_el8.8.0+3615+3543c705", "139.module+el8.8.0", ["module build context +3615+3543c705"]],
    ["18.module_el8.5.0+2632+14ced695", "18.module+el8.5.0", ["module build context +2632+14ced695"]],
    ["2.git87f9237.module+el8.4.0+557+48ba8b2f", "2.git87f9237.module+el8.4.0", ["module build context +557+48ba8b2f"]],
    ["1.module+el9.4.0+20787+4c237fd3", "1.module+el9.4.0", ["module build context +20787+4c237fd3"]],
    ["3.el9_4.alma.1", "3.el9_4", ["AlmaLinux suffix .alma.1"]],
    ["114.git2e92a49f.el8_8.alma.1", "114.git2e92a49f.el8_8", ["AlmaLinux suffix .alma.1"]],
    ["1.el9.alma", "1.el9", ["AlmaLinux suffix .alma"]],
    ["2.el9_2.2.rocky.0.2", "2.el9_2.2", ["Rocky Linux suffix .rocky.0.2"]],
    ["41.el8.rocky.0", "41.el8", ["Rocky Linux suffix .rocky.0"]],
    ["3.el10.rocky.0.2", "3.el10", ["Rocky Linux suffix .rocky.0.2"]],
    [
      "7.module+el8.5.0+718+67e45b5f.rocky.0.2",
      "7.module+el8.5.0",
      ["module build context +718+67e45b5f", "Rocky Linux suffix .rocky.0.2"],
    ],
    ["7.el8_6_fips", "7.el8_6_fips", []],
    ["4.0.1.el8_fips", "4.el8_fips", ["Oracle rebuild suffix .0.1"]],
    ["425.10.1.el8_7.cloud", "425.10.1.el8_7.cloud", []],
    ["1.el10_1", "1.el10_1", []],
  ])("normalises %s to %s", (release, base, removed) => {
    expect(normaliseRelease(release)).toEqual({ base, removed });
  });
});

type Availability = "both" | "related" | "neither";

interface MatchCase {
  pkg: string;
  build: string;
  outcome: MatchOutcome | null;
  available?: Availability;
  reason?: RegExp;
}

// Package NEVRAs as Red Hat ships them; builds as mirrors show them (without an epoch: a git tag).
const matchCases: Array<[string, MatchCase]> = [
  // exact
  [
    "a git tag of the same kernel",
    {
      pkg: "kernel-0:4.18.0-477.27.1.el8_8",
      build: "kernel-4.18.0-477.27.1.el8_8",
      outcome: "exact",
      available: "both",
      reason: /^Same build 4\.18\.0-477\.27\.1\.el8_8\.$/,
    },
  ],
  [
    "bind with epoch 32 from a tag without epoch",
    {
      pkg: "bind-32:9.8.2-0.68.rc1.el6_10.17",
      build: "bind-9.8.2-0.68.rc1.el6_10.17",
      outcome: "exact",
      available: "both",
      reason: /does not give the epoch/,
    },
  ],
  [
    "bind with epoch 32 on both sides",
    {
      pkg: "bind-32:9.8.2-0.68.rc1.el6_10.17",
      build: "bind-32:9.8.2-0.68.rc1.el6_10.17",
      outcome: "exact",
      reason: /^Same build 32:9\.8\.2/,
    },
  ],
  ["a tigervnc z-stream", { pkg: "tigervnc-0:1.13.1-3.el9_3.3", build: "tigervnc-0:1.13.1-3.el9_3.3", outcome: "exact" }],
  ["an EUS python3.9", { pkg: "python3.9-0:3.9.18-3.el9_4.5", build: "python3.9-3.9.18-3.el9_4.5", outcome: "exact" }],
  [
    "a GA build on CentOS Stream",
    { pkg: "python3.9-0:3.9.19-8.el9", build: "python3.9-3.9.19-8.el9", outcome: "exact", available: "both" },
  ],
  [
    "a modular ruby with the same context",
    { pkg: "ruby-0:3.1.4-142.module+el8.9.0+21471+7d1e4a35", build: "ruby-3.1.4-142.module+el8.9.0+21471+7d1e4a35", outcome: "exact" },
  ],
  [
    "Oracle's hivex keeping RHEL's module context",
    { pkg: "hivex-0:1.3.18-21.module+el8.7.0+21037+8ee66348", build: "hivex-0:1.3.18-21.module+el8.7.0+21037+8ee66348", outcome: "exact" },
  ],
  [
    "a two-digit minor el10_1 (Apollo's regex breaks here)",
    { pkg: "delve-0:1.25.2-1.el10_1", build: "delve-0:1.25.2-1.el10_1", outcome: "exact" },
  ],
  ["an el8_10 kernel", { pkg: "kernel-0:4.18.0-553.121.1.el8_10", build: "kernel-4.18.0-553.121.1.el8_10", outcome: "exact" }],
  ["podman with epoch 2", { pkg: "podman-2:4.4.1-21.el9_2", build: "podman-2:4.4.1-21.el9_2", outcome: "exact" }],
  ["an OpenELA tag of openssl", { pkg: "openssl-1:3.0.7-28.el9_4", build: "openssl-3.0.7-28.el9_4", outcome: "exact" }],
  ["an AUS tigervnc", { pkg: "tigervnc-0:1.9.0-15.el8_2.4", build: "tigervnc-1.9.0-15.el8_2.4", outcome: "exact" }],
  [
    "a snapshot release with a git hash",
    { pkg: "linux-firmware-0:20230404-114.git2e92a49f.el8_8", build: "linux-firmware-20230404-114.git2e92a49f.el8_8", outcome: "exact" },
  ],
  ["a tilde pre-release", { pkg: "fence-agents-0:4.10.0~rc1-1.el9", build: "fence-agents-4.10.0~rc1-1.el9", outcome: "exact" }],
  [
    "a caret snapshot",
    { pkg: "gcc-toolset-13-annobin-0:12.32^git1-1.el9", build: "gcc-toolset-13-annobin-12.32^git1-1.el9", outcome: "exact" },
  ],

  // equivalent rebuilds
  [
    "AlmaLinux's linux-firmware .alma.1",
    {
      pkg: "linux-firmware-0:20230404-114.git2e92a49f.el8_8",
      build: "linux-firmware-0:20230404-114.git2e92a49f.el8_8.alma.1",
      outcome: "equivalent",
      available: "both",
      reason: /^Same build, AlmaLinux suffix \.alma\.1\.$/,
    },
  ],
  [
    "AlmaLinux's mariadb with epoch 3",
    { pkg: "mariadb-3:10.5.22-1.el9_2", build: "mariadb-3:10.5.22-1.el9_2.alma.1", outcome: "equivalent" },
  ],
  [
    "AlmaLinux's dnf-plugins-core from a git tag",
    { pkg: "dnf-plugins-core-0:4.3.0-5.el9_2", build: "dnf-plugins-core-4.3.0-5.el9_2.alma.1", outcome: "equivalent" },
  ],
  ["AlmaLinux's galera", { pkg: "galera-0:26.4.14-1.el9_2", build: "galera-0:26.4.14-1.el9_2.alma.1", outcome: "equivalent" }],
  [
    "Rocky's osbuild-composer .rocky.0.2",
    {
      pkg: "osbuild-composer-0:76-2.el9_2.2",
      build: "osbuild-composer-0:76-2.el9_2.2.rocky.0.2",
      outcome: "equivalent",
      available: "both",
      reason: /Rocky Linux suffix \.rocky\.0\.2/,
    },
  ],
  ["Rocky's grub2 with epoch 1", { pkg: "grub2-1:2.06-70.el9_3.2", build: "grub2-1:2.06-70.el9_3.2.rocky.0.2", outcome: "equivalent" }],
  ["Rocky's grub2 on el8_10", { pkg: "grub2-1:2.02-170.el8_10.1", build: "grub2-2.02-170.el8_10.1.rocky.0.2", outcome: "equivalent" }],
  [
    "Rocky's ima-evm-utils on el10",
    { pkg: "ima-evm-utils-0:1.6.2-3.el10", build: "ima-evm-utils-1.6.2-3.el10.rocky.0.2", outcome: "equivalent" },
  ],
  [
    "Rocky's python3 .rocky.0",
    { pkg: "python3-0:3.6.8-41.el8", build: "python3-3.6.8-41.el8.rocky.0", outcome: "equivalent", reason: /\.rocky\.0\.$/ },
  ],
  [
    "Rocky's modular python2 with its own context",
    {
      pkg: "python2-0:2.7.18-7.module+el8.5.0+12345+0c5a8d1e",
      build: "python2-2.7.18-7.module+el8.5.0+718+67e45b5f.rocky.0.2",
      outcome: "equivalent",
      reason: /^Same build, module build context \+718\+67e45b5f and Rocky Linux suffix \.rocky\.0\.2\.$/,
    },
  ],
  [
    "Oracle's modular httpd .0.1",
    {
      pkg: "httpd-0:2.4.37-65.module+el8.10.0+21982+14717793",
      build: "httpd-0:2.4.37-65.0.1.module+el8.10.0+90356+f7b9d583",
      outcome: "equivalent",
      available: "both",
      reason: /Oracle rebuild suffix \.0\.1 and module build context \+90356\+f7b9d583/,
    },
  ],
  [
    "Oracle's kexec-tools .0.2 on el7",
    { pkg: "kexec-tools-0:2.0.4-32.el7", build: "kexec-tools-0:2.0.4-32.0.2.el7", outcome: "equivalent", reason: /\.0\.2/ },
  ],
  [
    "Oracle's RHCK kernel .0.1",
    { pkg: "kernel-0:4.18.0-477.27.1.el8_8", build: "kernel-0:4.18.0-477.27.1.0.1.el8_8", outcome: "equivalent" },
  ],
  [
    "Oracle's el7 kernel .0.1",
    { pkg: "kernel-0:3.10.0-1160.105.1.el7", build: "kernel-0:3.10.0-1160.105.1.0.1.el7", outcome: "equivalent" },
  ],
  [
    "AlmaLinux's modular ruby (.module_el…)",
    {
      pkg: "ruby-0:2.7.8-139.module+el8.8.0+18745+f1bef313",
      build: "ruby-2.7.8-139.module_el8.8.0+3615+3543c705",
      outcome: "equivalent",
      reason: /module build context \+3615\+3543c705/,
    },
  ],
  [
    "AlmaLinux's modular Judy",
    { pkg: "Judy-0:1.0.5-18.module+el8.5.0+12607+52e4b2b1", build: "Judy-0:1.0.5-18.module_el8.5.0+2632+14ced695", outcome: "equivalent" },
  ],
  [
    "a version equal by rpm's rules only",
    { pkg: "perl-Foo-0:10.0001-1.el9", build: "perl-Foo-10.1-1.el9", outcome: "equivalent", reason: /rpm's order/ },
  ],

  // newer, same stream
  [
    "a newer kernel z-stream",
    {
      pkg: "kernel-0:4.18.0-477.27.1.el8_8",
      build: "kernel-4.18.0-477.27.2.el8_8",
      outcome: "newer",
      available: "both",
      reason: /^Newer build 4\.18\.0-477\.27\.2\.el8_8 than 4\.18\.0-477\.27\.1\.el8_8\.$/,
    },
  ],
  ["a newer Oracle kernel", { pkg: "kernel-0:4.18.0-477.27.1.el8_8", build: "kernel-0:4.18.0-477.27.2.0.1.el8_8", outcome: "newer" }],
  [
    "a newer bind ELS build",
    { pkg: "bind-32:9.8.2-0.68.rc1.el6_10.17", build: "bind-32:9.8.2-0.68.rc1.el6_10.18", outcome: "newer", reason: /^Newer build 32:/ },
  ],
  ["a two-digit z-stream counter", { pkg: "tigervnc-0:1.13.1-3.el9_3.3", build: "tigervnc-1.13.1-3.el9_3.10", outcome: "newer" }],
  ["a newer el10_1 build", { pkg: "delve-0:1.25.2-1.el10_1", build: "delve-1.25.2-2.el10_1", outcome: "newer" }],
  ["a newer el8_10 kernel", { pkg: "kernel-0:4.18.0-553.121.1.el8_10", build: "kernel-4.18.0-553.134.1.el8_10", outcome: "newer" }],
  [
    "numeric, not lexical, release parts",
    { pkg: "kernel-0:5.14.0-362.8.1.el9_3", build: "kernel-5.14.0-362.13.1.el9_3", outcome: "newer" },
  ],
  [
    "a higher epoch with a lower version",
    {
      pkg: "kernel-0:4.18.0-477.27.1.el8_8",
      build: "kernel-1:1.0-477.27.1.el8_8",
      outcome: "newer",
      available: "both",
      reason: /^Newer build 1:1\.0/,
    },
  ],
  [
    "a caret snapshot after its base",
    { pkg: "gcc-toolset-13-annobin-0:12.32-1.el9", build: "gcc-toolset-13-annobin-12.32^git1-1.el9", outcome: "newer" },
  ],
  [
    "a newer modular build with another context",
    { pkg: "ruby-0:3.1.4-142.module+el8.9.0+21471+7d1e4a35", build: "ruby-3.1.4-143.module+el8.9.0+22000+0badc0de", outcome: "newer" },
  ],
  ["a newer AlmaLinux build", { pkg: "mariadb-3:10.5.22-1.el9_2", build: "mariadb-3:10.5.22-2.el9_2.alma.1", outcome: "newer" }],
  ["a newer upstream version", { pkg: "openssh-0:8.0p1-19.el8_8", build: "openssh-8.7p1-19.el8_8", outcome: "newer" }],

  // older, same stream
  [
    "an older kernel z-stream",
    {
      pkg: "kernel-0:4.18.0-477.27.1.el8_8",
      build: "kernel-4.18.0-477.13.1.el8_8",
      outcome: "older",
      available: "neither",
      reason: /^Older build 4\.18\.0-477\.13\.1\.el8_8 than/,
    },
  ],
  [
    "a tilde pre-release before its final",
    { pkg: "fence-agents-0:4.10.0-1.el9", build: "fence-agents-4.10.0~rc1-1.el9", outcome: "older" },
  ],
  ["an older bind ELS build", { pkg: "bind-32:9.8.2-0.68.rc1.el6_10.17", build: "bind-9.8.2-0.68.rc1.el6_10.16", outcome: "older" }],
  [
    "a one-digit z-stream counter against two digits",
    { pkg: "tigervnc-0:1.13.1-3.el9_3.10", build: "tigervnc-1.13.1-3.el9_3.3", outcome: "older" },
  ],
  [
    "a lower epoch with a higher release",
    {
      pkg: "kernel-1:4.18.0-477.27.1.el8_8",
      build: "kernel-0:4.18.0-477.27.9.el8_8",
      outcome: "older",
      available: "neither",
      reason: /^Older build 0:/,
    },
  ],
  [
    "the el8_10 GA kernel against a z-stream",
    { pkg: "kernel-0:4.18.0-553.121.1.el8_10", build: "kernel-4.18.0-553.el8_10", outcome: "older" },
  ],
  ["an older Oracle kernel", { pkg: "kernel-0:4.18.0-477.27.1.el8_8", build: "kernel-0:4.18.0-477.13.1.0.1.el8_8", outcome: "older" }],
  ["an older openssh p-release", { pkg: "openssh-0:8.0p1-19.el8_8", build: "openssh-8.0p1-17.el8_8", outcome: "older" }],
  [
    "an older AlmaLinux modular build",
    { pkg: "Judy-0:1.0.5-18.module+el8.5.0+12607+52e4b2b1", build: "Judy-0:1.0.5-17.module_el8.5.0+2632+14ced695", outcome: "older" },
  ],

  // different streams
  [
    "an el8_9 kernel for an el8_8 package",
    {
      pkg: "kernel-0:4.18.0-477.27.1.el8_8",
      build: "kernel-4.18.0-513.5.1.el8_9",
      outcome: "different_stream",
      available: "related",
      reason: /^Different stream: the build 4\.18\.0-513\.5\.1\.el8_9 is el8_9, the package el8_8; the build is newer\.$/,
    },
  ],
  [
    "a y-stream el8 build with the same numbers",
    {
      pkg: "kernel-0:4.18.0-477.27.1.el8_8",
      build: "kernel-4.18.0-477.27.1.el8",
      outcome: "different_stream",
      available: "neither",
      reason: /is el8, the package el8_8; the build is older/,
    },
  ],
  [
    "a newer CentOS Stream build for a z-stream",
    { pkg: "bash-0:5.1.8-6.el9_1", build: "bash-5.1.8-9.el9", outcome: "different_stream", available: "related" },
  ],
  [
    "an older CentOS Stream build for an EUS z-stream",
    { pkg: "python3.9-0:3.9.18-3.el9_4.5", build: "python3.9-3.9.18-3.el9", outcome: "different_stream", available: "neither" },
  ],
  [
    "CentOS Stream 10 for an el10_1 package",
    {
      pkg: "delve-0:1.25.2-1.el10_1",
      build: "delve-1.25.2-2.el10",
      outcome: "different_stream",
      available: "related",
      reason: /is el10, the package el10_1/,
    },
  ],
  [
    "el9_10 for an el9_9 package",
    {
      pkg: "glibc-0:2.34-231.el9_9",
      build: "glibc-2.34-231.el9_10",
      outcome: "different_stream",
      available: "related",
      reason: /is el9_10, the package el9_9; the build is newer/,
    },
  ],
  [
    "el8_9 for an el8_10 package",
    {
      pkg: "openssl-1:1.1.1k-14.el8_10",
      build: "openssl-1:1.1.1k-14.el8_9",
      outcome: "different_stream",
      available: "neither",
      reason: /the build is older/,
    },
  ],
  [
    "another module minor",
    {
      pkg: "ruby-0:3.1.4-142.module+el8.9.0+21471+7d1e4a35",
      build: "ruby-3.1.4-142.module+el8.10.0+22000+abcdef12",
      outcome: "different_stream",
      reason: /is module\+el8\.10, the package module\+el8\.9/,
    },
  ],
  [
    "AlmaLinux's Judy of another module minor",
    {
      pkg: "Judy-0:1.0.5-18.module+el8.5.0+12607+52e4b2b1",
      build: "Judy-0:1.0.5-18.module_el8.3.0+2028+5e3224e9",
      outcome: "different_stream",
    },
  ],
  [
    "a non-modular build for a modular package",
    { pkg: "ruby-0:3.1.4-142.module+el8.9.0+21471+7d1e4a35", build: "ruby-3.1.4-142.el8_9", outcome: "different_stream" },
  ],
  [
    "Oracle's FIPS gnutls with epoch 10",
    {
      pkg: "gnutls-0:3.6.16-4.el8",
      build: "gnutls-10:3.6.16-4.0.1.el8_fips",
      outcome: "different_stream",
      available: "related",
      reason: /is el8_fips, the package el8/,
    },
  ],
  [
    "Oracle's FIPS libgcrypt",
    { pkg: "libgcrypt-0:1.8.5-7.el8_6", build: "libgcrypt-10:1.8.5-7.el8_6_fips", outcome: "different_stream", reason: /el8_6_fips/ },
  ],
  [
    "an older FIPS build",
    { pkg: "gnutls-0:3.6.16-8.el8_9", build: "gnutls-0:3.6.16-4.0.1.el8_fips", outcome: "different_stream", available: "neither" },
  ],
  [
    "Oracle's FIPS openssl on el7",
    { pkg: "openssl-1:1.0.2k-22.el7_9", build: "openssl-10:1.0.2k-22.el7_9_fips", outcome: "different_stream" },
  ],
  [
    "Oracle's ksplice glibc",
    {
      pkg: "glibc-0:2.28-251.el8_10.31",
      build: "glibc-2:2.28-251.0.4.ksplice1.el8_10.31",
      outcome: "different_stream",
      available: "related",
      reason: /el8_10 ksplice/,
    },
  ],
  [
    "Oracle's ksplice openssl",
    { pkg: "openssl-1:1.0.2k-22.el7_9", build: "openssl-2:1.0.2k-22.ksplice1.el7_9", outcome: "different_stream" },
  ],
  [
    "Rocky's cloud kernel",
    {
      pkg: "kernel-0:4.18.0-425.10.1.el8_7",
      build: "kernel-0:4.18.0-425.10.1.el8_7.cloud",
      outcome: "different_stream",
      reason: /el8_7\.cloud/,
    },
  ],

  // epoch mismatches
  [
    "bind9.16 from a source that reports epoch 0",
    {
      pkg: "bind9.16-32:9.16.23-0.14.el8",
      build: "bind9.16-0:9.16.23-0.14.el8",
      outcome: "epoch_mismatch",
      available: "neither",
      reason: /^Same version 9\.16\.23-0\.14\.el8 but epoch 0 instead of 32\.$/,
    },
  ],
  [
    "podman from a source that always writes 0:",
    { pkg: "podman-2:4.4.1-21.el9_2", build: "podman-0:4.4.1-21.el9_2", outcome: "epoch_mismatch", available: "neither" },
  ],
  [
    "an Oracle rebuild with a raised epoch",
    {
      pkg: "gnutls-0:3.6.16-8.el8_9",
      build: "gnutls-10:3.6.16-8.0.1.el8_9",
      outcome: "epoch_mismatch",
      available: "both",
      reason: /epoch 10 instead of 0/,
    },
  ],

  // other packages
  ["kernel-rt against kernel", { pkg: "kernel-0:4.18.0-477.27.1.el8_8", build: "kernel-rt-4.18.0-477.27.1.rt7.290.el8_8", outcome: null }],
  ["python3.11 against python3.9", { pkg: "python3.9-0:3.9.18-3.el9_4.5", build: "python3.11-3.11.7-1.el9_4", outcome: null }],
];

describe("matchBuild", () => {
  it("has a table of at least 60 real-shaped pairs", () => {
    expect(matchCases.length).toBeGreaterThanOrEqual(60);
  });

  const named = matchCases.map(([behaviour, c]) => [`calls ${behaviour} ${c.outcome ?? "no match"}`, c] as const);
  it.each(named)("%s", (_behaviour, { pkg, build, outcome, reason }) => {
    const match = matchBuild(parsePackage(pkg), parseBuild(build));
    expect(match?.outcome ?? null).toBe(outcome);
    if (reason) expect(match?.reason).toMatch(reason);
  });
});

describe("isAvailable", () => {
  const expectations: Record<Availability, { exact: boolean; related: boolean }> = {
    both: { exact: true, related: true },
    related: { exact: false, related: true },
    neither: { exact: false, related: false },
  };

  const named = matchCases
    .filter(([, c]) => c.available)
    .map(([behaviour, c]) => [`counts ${behaviour} as available on ${c.available} mirrors`, c] as const);
  it.each(named)("%s", (_behaviour, { pkg, build, available }) => {
    const match = matchBuild(parsePackage(pkg), parseBuild(build))!;
    expect({ exact: isAvailable(match, "exact"), related: isAvailable(match, "related") }).toEqual(expectations[available!]);
  });

  it("never counts an older build of the same stream, on any mirror", () => {
    const older = { outcome: "older", reason: "", order: -1 } as const;
    expect([isAvailable(older, "exact"), isAvailable(older, "related")]).toEqual([false, false]);
  });
});

describe("matchBuild properties", () => {
  const number = fc.integer({ min: 0, max: 600 }).map(String);
  const version = fc
    .tuple(fc.array(number, { minLength: 1, maxLength: 4 }), fc.constantFrom("", "~rc1", "^git1", "p1", "a"))
    .map(([parts, suffix]) => parts.join(".") + suffix);
  const hex = fc.stringMatching(/^[0-9a-f]{8}$/);
  const dist = fc.oneof(
    fc
      .tuple(fc.integer({ min: 6, max: 10 }), fc.option(fc.integer({ min: 0, max: 12 })))
      .map(([major, minor]) => (minor === null ? `el${major}` : `el${major}_${minor}`)),
    fc
      .tuple(fc.integer({ min: 8, max: 9 }), fc.integer({ min: 0, max: 10 }), fc.nat(99999), hex)
      .map(([major, minor, buildId, context]) => `module+el${major}.${minor}.0+${buildId}+${context}`),
  );
  const release = fc
    .tuple(fc.array(number, { minLength: 1, maxLength: 3 }), dist, fc.option(fc.array(number, { minLength: 1, maxLength: 2 })))
    .map(([head, distTag, tail]) => `${head.join(".")}.${distTag}${tail ? `.${tail.join(".")}` : ""}`);
  const nevra = fc.record({ name: fc.constantFrom("kernel", "bind"), epoch: fc.nat(3), version, release });

  function decorate(rel: string, oracle: number | null, distro: string | null): string {
    let decorated = rel.replace(/\.module_?\+?el(\d+\.\d+\.\d+)\+\d+\+[0-9a-f]+/, ".module_el$1+3615+3543c705");
    if (oracle !== null) decorated = decorated.replace(/\.(el\d|module)/, `.0.${oracle}.$1`);
    return distro === null ? decorated : `${decorated}.${distro}`;
  }

  it("finds every build exact against itself", () => {
    fc.assert(fc.property(nevra, (pkg) => matchBuild(pkg, pkg)?.outcome === "exact"));
  });

  it("swaps newer and older when the two sides swap, and keeps the other outcomes", () => {
    const swapped: Record<MatchOutcome, MatchOutcome> = {
      exact: "exact",
      equivalent: "equivalent",
      newer: "older",
      older: "newer",
      different_stream: "different_stream",
      epoch_mismatch: "epoch_mismatch",
    };
    fc.assert(
      fc.property(nevra, nevra, (a, b) => {
        const forward = matchBuild(a, { ...b, name: a.name })!;
        const backward = matchBuild({ ...b, name: a.name }, a)!;
        return backward.outcome === swapped[forward.outcome] && backward.order === -forward.order;
      }),
      { numRuns: 500 },
    );
  });

  it("finds a rebuild equivalent whatever Oracle, AlmaLinux or Rocky add", () => {
    const oracle = fc.option(fc.integer({ min: 1, max: 9 }));
    const distro = fc.option(fc.constantFrom("alma", "alma.1", "alma.2", "rocky.0", "rocky.0.1", "rocky.0.2"));
    fc.assert(
      fc.property(nevra, oracle, distro, (pkg, oracleNumber, distroSuffix) => {
        const rebuilt = decorate(pkg.release, oracleNumber, distroSuffix);
        const outcome = matchBuild(pkg, { ...pkg, release: rebuilt })?.outcome;
        return outcome === (rebuilt === pkg.release ? "exact" : "equivalent");
      }),
    );
  });

  it("normalises idempotently", () => {
    const decorated = fc
      .tuple(release, fc.option(fc.integer({ min: 1, max: 9 })), fc.option(fc.constantFrom("alma.1", "rocky.0.2")))
      .map(([rel, oracle, distro]) => decorate(rel, oracle, distro));
    const anyRelease = fc.stringMatching(/^[0-9a-z._+~^]{0,30}$/);
    const arbitraryDecorated = fc
      .array(
        fc.constantFrom(
          "0",
          "1",
          "12",
          ".",
          "_",
          "+",
          "el8",
          "el9_2",
          "module+el8.8.0",
          "module_el8.8.0",
          "+1+ab",
          "alma",
          "rocky",
          "fips",
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(decorated, anyRelease, arbitraryDecorated), (rel) => {
        const once = normaliseRelease(rel);
        const twice = normaliseRelease(once.base);
        return twice.base === once.base && twice.removed.length === 0;
      }),
      { numRuns: 2000 },
    );
  });

  it("orders two-digit minors numerically: el9_10 after el9_9", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        number,
        (major, minorA, minorB, head) => {
          fc.pre(minorA !== minorB);
          const pkg = { name: "glibc", epoch: 0, version: "2.34", release: `${head}.el${major}_${minorA}` };
          const build = { ...pkg, release: `${head}.el${major}_${minorB}` };
          const expectedOrder = minorB > minorA ? 1 : -1;
          const match = matchBuild(pkg, build)!;
          return (
            compareRpmVersion(build.release, pkg.release) === expectedOrder &&
            match.outcome === "different_stream" &&
            match.order === expectedOrder &&
            isAvailable(match, "related") === expectedOrder > 0
          );
        },
      ),
    );
  });
});
