import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ProcessUsage {
  /** User + system CPU time the process has used since it started. */
  cpuSeconds: number;
  /** Peak resident set size (VmHWM). */
  peakRssBytes: number;
  /** Resident set size now (VmRSS). */
  rssBytes: number;
}

let clockTicksPerSecond: number | undefined;

function getClockTicksPerSecond(): number {
  clockTicksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return clockTicksPerSecond;
}

/** CPU time and peak RSS of another process, from Linux's /proc (throws where there is none). */
export function readProcessUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const readKb = (field: string) => {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1];
    if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(kb) * 1024;
  };
  return { cpuSeconds: ticks / getClockTicksPerSecond(), peakRssBytes: readKb("VmHWM"), rssBytes: readKb("VmRSS") };
}
