/** Moved to provider/local-cloud/netns/exec.ts (one implementation for the lab and the local cloud's netns router). */
export * from "../../../provider/local-cloud/netns/exec";
