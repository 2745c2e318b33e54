// A promise that knows whether anyone is waiting on it, so unobserved answers cost no drain.

/**
 * A native promise that records when a handler is attached: `then`, `catch`, `finally` and
 * `await` all end up calling `then` (for `await`, one microtask after the await starts). The
 * simulator uses it to let awaiting code run at the simulated time of an answer only when
 * there is such code: fire-and-forget agents then cost the kernel no yield at all.
 * Derived promises are plain `Promise`s (species), so only the first link is observed.
 */
export class Observed<T> extends Promise<T> {
  observed = false;
  /** Settles the promise with a value built on demand; run by the first `then`. */
  lazy: (() => void) | undefined = undefined;

  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.observed = true;
    const lazy = this.lazy;
    if (lazy !== undefined) {
      this.lazy = undefined;
      lazy();
    }
    return super.then(onFulfilled, onRejected);
  }
}

/** An observed-aware promise with its settle functions. */
export interface Deferred<T> {
  readonly promise: Observed<T>;
  readonly resolve: (v: T) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Resolves `d` with `make()`: now when someone awaits, else when someone first does. Building
 * an answer (ccxt objects, date strings) is most of its cost, and fire-and-forget senders
 * never look at it. `make` must capture the state it describes, not read it later.
 */
export function resolveLazily<T>(d: Deferred<T>, make: () => T): void {
  if (d.promise.observed) d.resolve(make());
  else d.promise.lazy = () => d.resolve(make());
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Observed<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const ignore = (): void => {};

/**
 * Rejects `d`. When nobody holds a handler yet, a no-op one is attached first, so a request
 * its sender chose to ignore does not become an unhandled rejection; a handler attached later
 * still receives the error.
 */
export function rejectQuietly<T>(d: Deferred<T>, err: Error): void {
  if (!d.promise.observed) {
    d.promise.catch(ignore);
    d.promise.observed = false;
  }
  d.reject(err);
}
