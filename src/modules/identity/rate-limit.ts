/** How many requests one API key may make per window, across every API process on the database. */
export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

/** 100 requests a second per key, sustained: far above any partner's integration, the dashboard or a test. */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 6000, windowSeconds: 60 };
