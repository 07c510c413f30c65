/** Driving a manual (`speed: 0`) simulated clock from a test. */
import type { SimClock } from '@b-route/simulator';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves the clock `ms` forward in steps of `step`, letting promises and in-process I/O settle
 * after each; stops early once `until()` holds.
 */
export async function drive(clock: SimClock, ms: number, step = 1000, until?: () => boolean): Promise<void> {
  for (let t = 0; t < ms && !until?.(); t += step) {
    clock.advance(step);
    for (let i = 0; i < 5; i++) await turn();
  }
}
