import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ScenarioPackageRelease } from "../scenarios/june-2023";

/** Bump when the content or layout of built repositories changes, so cached stores are rebuilt. */
const STORE_FORMAT_VERSION = 3;
const CENTOS_AUTHOR = "CentOS Sources <bugs@centos.org>";

/** One import a forge publishes: a commit on `branch` of repository `repositoryName`, tagged `tag`, at `importAt`. */
export interface ForgeImport {
  repositoryName: string;
  branch: string;
  tag: string;
  nvr: string;
  major: number;
  importAt: Date;
  message: string;
  /** Content of SPECS/<name>.spec; a minimal spec naming the NVR when absent. */
  specText?: string;
  /** `Name <email>` of the committer. */
  author: string;
  /** Set for an annotated tag (OpenELA's bot tags), with the tag's own date = importAt. */
  tagger?: string;
}

export interface ForgeCommit {
  sha: string;
  treeSha: string;
  parentSha: string | null;
  /** e.g. "c8" */
  branch: string;
  /** e.g. "imports/c8/bash-4.4.20-4.el8_6" */
  tag: string;
  nvr: string;
  major: number;
  importAt: Date;
  message: string;
  /** The annotated tag object `refs/tags/<tag>` points to; null for a lightweight tag (then it points to `sha`). */
  tagObjectSha: string | null;
}

export interface ForgeRepository {
  /** Source package name, e.g. "bash". */
  name: string;
  defaultBranch: string;
  /** Sorted by importAt. */
  commits: ForgeCommit[];
}

/** Every object of every package repository, in one bare repository that the per-package ones borrow from. */
export interface ForgeStore {
  objectsPath: string;
  repositories: Map<string, ForgeRepository>;
}

type PlannedCommit = Required<Omit<ForgeImport, "tagger">> & { tagger: string | null };

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };

function runGit(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { env: GIT_ENV, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString("utf8"));
      else reject(new Error(`git ${args[0]} failed (${code}): ${Buffer.concat(stderr).toString("utf8").trim()}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** Repositories of the simulated git.centos.org whose import tags are lightweight, so both kinds of tag time are served. */
export const CENTOS_LIGHTWEIGHT_TAG_PACKAGES: readonly string[] = ["thunderbird"];

/**
 * git.centos.org's imports: `imports/c<major>/<nvr>` on branch `c<major>` by CentOS Sources, annotated tags whose tagger
 * date is the import time — lightweight tags in `lightweightTagPackages`.
 */
export function listCentosImports(
  packages: ScenarioPackageRelease[],
  lightweightTagPackages = CENTOS_LIGHTWEIGHT_TAG_PACKAGES,
): ForgeImport[] {
  return packages.flatMap((item) =>
    item.tag && item.importAt
      ? [
          {
            repositoryName: item.name,
            branch: `c${item.major}`,
            tag: item.tag,
            nvr: item.nvr,
            major: item.major,
            importAt: item.importAt,
            message: `import ${item.nvr}\n`,
            specText: createSpecText(item),
            author: CENTOS_AUTHOR,
            ...(lightweightTagPackages.includes(item.name) ? {} : { tagger: CENTOS_AUTHOR }),
          },
        ]
      : [],
  );
}

export function createSpecText(item: { name: string; epoch: number; version: string; release: string }): string {
  return `Name: ${item.name}\nEpoch: ${item.epoch}\nVersion: ${item.version}\nRelease: ${item.release.replace(/\.el\d+.*$/, "%{?dist}")}\n`;
}

/** One commit per tag (the earliest import wins), grouped by repository, oldest first. */
function planCommits(imports: ForgeImport[]): PlannedCommit[] {
  const byTag = new Map<string, PlannedCommit>();
  for (const item of imports) {
    const key = `${item.repositoryName}\0${item.tag}`;
    const existing = byTag.get(key);
    if (existing && existing.importAt.getTime() <= item.importAt.getTime()) continue;
    const nvrParts = /^(.*)-([^-]+)-([^-]+)$/.exec(item.nvr);
    byTag.set(key, {
      ...item,
      specText:
        item.specText ??
        createSpecText({
          name: nvrParts?.[1] ?? item.repositoryName,
          epoch: 0,
          version: nvrParts?.[2] ?? "0",
          release: nvrParts?.[3] ?? "0",
        }),
      tagger: item.tagger ?? null,
    });
  }
  return [...byTag.values()].sort(
    (a, b) => a.repositoryName.localeCompare(b.repositoryName) || a.importAt.getTime() - b.importAt.getTime() || a.tag.localeCompare(b.tag),
  );
}

function createFastImportStream(commits: PlannedCommit[]): string {
  const lastMarkByBranch = new Map<string, number>();
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  commits.forEach((commit, index) => {
    const mark = index + 1;
    const branchRef = `refs/heads/${commit.repositoryName}/${commit.branch}`;
    const seconds = Math.floor(commit.importAt.getTime() / 1000);
    const parentMark = lastMarkByBranch.get(branchRef);
    parts.push(
      `commit ${branchRef}\nmark :${mark}\n`,
      `author ${commit.author} ${seconds} +0000\ncommitter ${commit.author} ${seconds} +0000\n`,
      data(commit.message),
      parentMark ? `from :${parentMark}\n` : "",
      `M 100644 inline SPECS/${commit.repositoryName}.spec\n`,
      data(commit.specText),
      `M 100644 inline .${commit.repositoryName}.metadata\n`,
      data(`${createHash("sha1").update(commit.nvr).digest("hex")} SOURCES/${commit.nvr}.tar.gz\n`),
    );
    lastMarkByBranch.set(branchRef, mark);
    if (commit.tagger) {
      parts.push(`tag ${storeTagName(commit)}\nfrom :${mark}\ntagger ${commit.tagger} ${seconds} +0000\n`, data(`${commit.message}`));
    }
  });
  return parts.join("");
}

/** Tags of all repositories share the store: keep them apart by repository. */
function storeTagName(commit: PlannedCommit): string {
  return `${commit.repositoryName}/${commit.tag}`;
}

function toRepositories(
  planned: PlannedCommit[],
  shaByMark: Map<number, string>,
  treeBySha: Map<string, string>,
  tagObjectByName: Map<string, string>,
): Map<string, ForgeRepository> {
  const repositories = new Map<string, ForgeRepository>();
  const lastShaByBranch = new Map<string, string>();
  planned.forEach((commit, index) => {
    const sha = shaByMark.get(index + 1);
    const treeSha = sha ? treeBySha.get(sha) : undefined;
    if (!sha || !treeSha) throw new Error(`git fast-import lost the commit of ${commit.tag}`);
    const repository = repositories.get(commit.repositoryName) ?? {
      name: commit.repositoryName,
      defaultBranch: commit.branch,
      commits: [],
    };
    const branchKey = `${commit.repositoryName}/${commit.branch}`;
    repository.commits.push({
      sha,
      treeSha,
      parentSha: lastShaByBranch.get(branchKey) ?? null,
      branch: commit.branch,
      tag: commit.tag,
      nvr: commit.nvr,
      major: commit.major,
      importAt: commit.importAt,
      message: commit.message,
      tagObjectSha: commit.tagger ? (tagObjectByName.get(storeTagName(commit)) ?? null) : null,
    });
    if (commit.tagger && !tagObjectByName.has(storeTagName(commit))) throw new Error(`git fast-import lost the tag ${commit.tag}`);
    lastShaByBranch.set(branchKey, sha);
    repositories.set(commit.repositoryName, repository);
  });
  for (const repository of repositories.values()) repository.commits.sort((a, b) => a.importAt.getTime() - b.importAt.getTime());
  return repositories;
}

interface StoreManifest {
  repositories: Array<Omit<ForgeRepository, "commits"> & { commits: Array<Omit<ForgeCommit, "importAt"> & { importAt: string }> }>;
}

/**
 * Builds (or reuses, keyed by a hash of the imports) one bare repository holding every import commit, with a
 * single `git fast-import` run; per-package repositories then share its objects through `objects/info/alternates`.
 */
export async function buildForgeStore(
  options: ({ packages: ScenarioPackageRelease[] } | { imports: ForgeImport[] }) & { dataDir: string },
): Promise<ForgeStore> {
  const planned = planCommits("imports" in options ? options.imports : listCentosImports(options.packages));
  const key = createHash("sha256").update(JSON.stringify({ STORE_FORMAT_VERSION, planned })).digest("hex").slice(0, 16);
  const storePath = path.resolve(options.dataDir, `store-${key}.git`);
  const manifestPath = path.join(storePath, "srcwatch-simulator.json");

  if (!existsSync(manifestPath)) {
    const buildPath = `${storePath}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    await mkdir(path.dirname(buildPath), { recursive: true });
    try {
      await runGit(["init", "--quiet", "--bare", buildPath]);
      const marksPath = path.join(buildPath, "marks");
      await runGit(["--git-dir", buildPath, "fast-import", "--quiet", `--export-marks=${marksPath}`], createFastImportStream(planned));
      const shaByMark = new Map(
        (await readFile(marksPath, "utf8"))
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => [Number(line.slice(1, line.indexOf(" "))), line.slice(line.indexOf(" ") + 1)] as const),
      );
      const treeBySha = new Map(
        (await runGit(["--git-dir", buildPath, "log", "--all", "--format=%H %T"]))
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(" ") as [string, string]),
      );
      const tagObjectByName = new Map(
        (await runGit(["--git-dir", buildPath, "for-each-ref", "--format=%(objecttype) %(objectname) %(refname:strip=2)", "refs/tags"]))
          .trim()
          .split("\n")
          .filter((line) => line.startsWith("tag "))
          .map((line) => {
            const [, objectName, ...name] = line.split(" ");
            return [name.join(" "), objectName] as const;
          }),
      );
      const manifest: StoreManifest = {
        repositories: [...toRepositories(planned, shaByMark, treeBySha, tagObjectByName).values()].map((repository) => ({
          ...repository,
          commits: repository.commits.map((commit) => ({ ...commit, importAt: commit.importAt.toISOString() })),
        })),
      };
      await writeFile(path.join(buildPath, "srcwatch-simulator.json"), JSON.stringify(manifest));
      await rename(buildPath, storePath).catch(async (error: NodeJS.ErrnoException) => {
        // Another process built the same store first.
        if (!existsSync(manifestPath)) throw error;
      });
    } finally {
      await rm(buildPath, { recursive: true, force: true });
    }
  }

  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as StoreManifest;
  const repositories = new Map<string, ForgeRepository>(
    manifest.repositories.map((repository) => [
      repository.name,
      { ...repository, commits: repository.commits.map((commit) => ({ ...commit, importAt: new Date(commit.importAt) })) },
    ]),
  );
  return { objectsPath: path.join(storePath, "objects"), repositories };
}
