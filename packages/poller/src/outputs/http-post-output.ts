/**
 * Batches of readings POSTed as JSON to a URL, as keilog's uploader does over a SIM card:
 * `{"records":[…]}` with `content-type: application/json`, an optional bearer token, and a
 * timeout per request. Any 2xx is delivery; anything else (or no answer) leaves the batch in
 * the outbox for the runner's retry with backoff. Receivers dedupe on each record's `id`.
 */
import type { OutputTarget } from './output-runner.js';

export interface HttpPostOutputOptions {
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Per request. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

export function httpPostOutput(options: HttpPostOutputOptions): OutputTarget {
  const host = new URL(options.url).host;
  return {
    name: `http:${host}`,
    async deliver(batch) {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({ records: batch }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      // Drain the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${host}`);
    },
  };
}
