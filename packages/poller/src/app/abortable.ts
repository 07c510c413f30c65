/**
 * Waiting on the database without holding up a stop. A write or a query on a database that went
 * silent does not end until its connection is cut, which the store does only once every loop has
 * stopped: a loop that awaited it plainly would keep the stop from reaching the store, and the
 * hard exit would come before the rows in memory reach the spool.
 */

/**
 * Resolves or rejects as `work` does, or rejects with the signal's reason as soon as it aborts
 * (`work` then goes on unobserved; its failure is swallowed).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
