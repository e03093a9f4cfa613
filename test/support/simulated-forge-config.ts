/** A mirror configured by hand against the simulator's OpenELA-shaped forge (git smart HTTP, annotated import tags). */
export function configureSimulatedForge(input: { id: string; name: string }) {
  return {
    id: input.id,
    kind: "git-forge" as const,
    name: input.name,
    majors: [8, 9],
    repoUrlTemplate: "{simulator}/openela/{name}.git",
    tagTemplate: "imports/el{major}/{nvr}",
    tagWebUrlTemplate: "{simulator}/openela/{name}/commit/{sha}",
    missingRepositoryStatuses: [401, 404],
    expectedLagHours: 72,
    missingAfterHours: 336,
    staleAfterMinutes: 2880,
    perHostMinIntervalMs: 0,
    concurrency: 8,
    egress: { allowPrivateNetwork: true },
  };
}
