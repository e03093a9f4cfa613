export const ROOT: string;
export const WEB_SERVER: string;
export const WORKER_MAIN: string;
export const SERVER_CONDITIONS: string[];
export function bin(name: string): string;
export function ensureWebBuild(): void;
export function isWebBuildCurrent(): boolean;
export function webNodeFlags(env?: NodeJS.ProcessEnv): string[];
export function workerNodeFlags(env?: NodeJS.ProcessEnv): string[];
export function runMigrations(env: NodeJS.ProcessEnv): void;
export function runTogether(
  processes: { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv }[],
  options?: { onExit?: () => Promise<void> | void },
): { stopAll(code: number): Promise<void> };
