export const mirrorKeys = {
  all: ["mirrors"] as const,
};
