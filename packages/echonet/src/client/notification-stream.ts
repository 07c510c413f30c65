/**
 * Fan-out of pushed items (the meter's INF/INFC notifications) to any number of async
 * iterators. Each subscriber has its own bounded buffer: a consumer that stops reading loses
 * the oldest items, never memory. Ending the hub (client closed) finishes every iterator.
 */
export class NotificationHub<T> {
  readonly #capacity: number;
  readonly #subscribers = new Set<Subscriber<T>>();
  #ended = false;

  /** @param capacity items kept per subscriber that has not read them yet. Default 100. */
  constructor(capacity = 100) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Live subscribers (a `for await` loop that broke out is gone). */
  get size(): number {
    return this.#subscribers.size;
  }

  publish(item: T): void {
    for (const s of this.#subscribers) s.push(item);
  }

  /** Finishes every iterator; later subscriptions finish at once. */
  end(): void {
    this.#ended = true;
    for (const s of [...this.#subscribers]) s.finish();
  }

  /** Reopens after `end()` (the client was opened again). */
  restart(): void {
    this.#ended = false;
  }

  /** An iterator of the items published from now on. */
  subscribe(): AsyncIterableIterator<T> & { readonly dropped: number } {
    const sub = new Subscriber<T>(this.#capacity, () => this.#subscribers.delete(sub));
    if (this.#ended) sub.finish();
    else this.#subscribers.add(sub);
    return sub;
  }
}

class Subscriber<T> implements AsyncIterableIterator<T> {
  readonly #capacity: number;
  readonly #leave: () => void;
  #buffer: T[] = [];
  #waiting: ((r: IteratorResult<T>) => void) | null = null;
  #done = false;
  /** Items lost because the buffer was full. */
  dropped = 0;

  constructor(capacity: number, leave: () => void) {
    this.#capacity = capacity;
    this.#leave = leave;
  }

  push(item: T): void {
    if (this.#done) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    this.#buffer.push(item);
    if (this.#buffer.length > this.#capacity) {
      this.#buffer.shift();
      this.dropped++;
    }
  }

  finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#leave();
    const resolve = this.#waiting;
    this.#waiting = null;
    resolve?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#buffer.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#buffer = [];
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
