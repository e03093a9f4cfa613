export const summaryKeys = {
  all: ["summary"] as const,
};
