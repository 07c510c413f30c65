/** Small command-line helpers shared by the root scripts. */

export class ArgError extends Error {
  override readonly name = 'ArgError';
}

/**
 * `raw` as a number > 0, or `fallback` when absent.
 * @throws ArgError naming the option for anything else.
 */
export function positiveNumber(raw: string | boolean | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new ArgError(`${name} must be a number > 0, got "${String(raw)}"`);
  return n;
}

/** `42s`, `2m05s`, `1h03m`: real durations for people. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
