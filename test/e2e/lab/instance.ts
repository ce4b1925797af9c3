/** Moved to provider/local-cloud/netns/strongswan-instance.ts (shared with the local cloud's netns router). */
export * from "../../../provider/local-cloud/netns/strongswan-instance";
