/** Moved to provider/local-cloud/netns/sa-status.ts (shared with the local cloud's netns router). */
export * from "../../../provider/local-cloud/netns/sa-status";
