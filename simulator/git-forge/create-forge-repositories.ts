import { mkdir, readdir, rename, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ForgeCommit, ForgeRepository, ForgeStore } from "./build-forge-store";

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export interface ForgeRepositoryState {
  repository: ForgeRepository;
  gitDir: string;
  /** How many commits (a prefix of `commits`) have their refs written; refs of later ones are absent. */
  writtenCount: number;
  lock: Promise<void>;
}

/** The bare repositories of one forge instance, `<projectRoot>/<namespace>/<name>.git`, whose refs follow a clock. */
export interface ForgeRepositories {
  /** GIT_PROJECT_ROOT for `git http-backend`. */
  projectRoot: string;
  /** undefined for a name that is not a package name or has no repository. */
  findRepository(name: string): ForgeRepositoryState | undefined;
  /** Makes the refs on disk match `now`: tags and branch heads of imports at or before now, nothing later. */
  syncRefs(state: ForgeRepositoryState, now: Date): Promise<void>;
  listVisibleCommits(state: ForgeRepositoryState, now: Date): ForgeCommit[];
  close(): Promise<void>;
}

function countVisible(commits: ForgeCommit[], now: Date): number {
  let count = 0;
  while (count < commits.length && commits[count].importAt.getTime() <= now.getTime()) count++;
  return count;
}

async function writeLooseRef(gitDir: string, ref: string, sha: string): Promise<void> {
  const refPath = path.join(gitDir, ref);
  await mkdir(path.dirname(refPath), { recursive: true });
  await writeFile(`${refPath}.lock`, `${sha}\n`);
  await rename(`${refPath}.lock`, refPath);
}

async function removeLooseRef(gitDir: string, ref: string): Promise<void> {
  await unlink(path.join(gitDir, ref)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/** Removes instance folders left by simulators that are no longer running. */
async function removeStaleInstances(instancesDir: string): Promise<void> {
  const entries = await readdir(instancesDir).catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (entry) => {
      const pid = Number(entry.split("-")[0]);
      if (!Number.isInteger(pid) || pid === process.pid) return;
      try {
        process.kill(pid, 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ESRCH") await rm(path.join(instancesDir, entry), { recursive: true, force: true });
      }
    }),
  );
}

/**
 * Each forge instance gets its own repositories (refs only; objects come from the shared store), so simulators on
 * different clocks never see each other's tags.
 */
export async function createForgeRepositories(options: {
  store: ForgeStore;
  dataDir: string;
  namespace: string;
}): Promise<ForgeRepositories> {
  const { store } = options;
  const instancesDir = path.resolve(options.dataDir, "instances");
  await removeStaleInstances(instancesDir);
  const projectRoot = path.join(instancesDir, `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);

  const states = new Map<string, ForgeRepositoryState>();
  await Promise.all(
    [...store.repositories.values()].map(async (repository) => {
      const gitDir = path.join(projectRoot, options.namespace, `${repository.name}.git`);
      await mkdir(path.join(gitDir, "objects", "info"), { recursive: true });
      await mkdir(path.join(gitDir, "refs", "heads"), { recursive: true });
      await mkdir(path.join(gitDir, "refs", "tags"), { recursive: true });
      await writeFile(path.join(gitDir, "HEAD"), `ref: refs/heads/${repository.defaultBranch}\n`);
      await writeFile(path.join(gitDir, "config"), "[core]\n\trepositoryformatversion = 0\n\tbare = true\n");
      await writeFile(path.join(gitDir, "objects", "info", "alternates"), `${store.objectsPath}\n`);
      states.set(repository.name, { repository, gitDir, writtenCount: 0, lock: Promise.resolve() });
    }),
  );

  const syncRefs = (state: ForgeRepositoryState, now: Date): Promise<void> => {
    const run = async () => {
      const { commits } = state.repository;
      const visibleCount = countVisible(commits, now);
      if (visibleCount === state.writtenCount) return;
      const low = Math.min(visibleCount, state.writtenCount);
      const high = Math.max(visibleCount, state.writtenCount);
      for (let index = low; index < high; index++) {
        const ref = `refs/tags/${commits[index].tag}`;
        if (index < visibleCount) await writeLooseRef(state.gitDir, ref, commits[index].tagObjectSha ?? commits[index].sha);
        else await removeLooseRef(state.gitDir, ref);
      }
      for (const branch of new Set(commits.map((commit) => commit.branch))) {
        const head = commits.slice(0, visibleCount).findLast((commit) => commit.branch === branch);
        if (head) await writeLooseRef(state.gitDir, `refs/heads/${branch}`, head.sha);
        else await removeLooseRef(state.gitDir, `refs/heads/${branch}`);
      }
      state.writtenCount = visibleCount;
    };
    state.lock = state.lock.then(run, run);
    return state.lock;
  };

  return {
    projectRoot,
    findRepository: (name) => (PACKAGE_NAME.test(name) ? states.get(name) : undefined),
    syncRefs,
    listVisibleCommits: (state, now) => state.repository.commits.slice(0, countVisible(state.repository.commits, now)),
    close: () => rm(projectRoot, { recursive: true, force: true }),
  };
}
