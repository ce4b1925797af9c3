/** Moved to provider/push/sa-status.ts (shared with the local cloud's netns router). */
export * from "../../../provider/push/sa-status";
