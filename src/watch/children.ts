/**
 * The children a parent run follows side by side (a batch's builds, a pipeline's CodeBuild
 * actions), each its own watcher: started once per key, awaited together at the end, and all
 * settled before an error (a cancel) goes up, so none is left writing to the log.
 */
export class Children<M = undefined> {
  private readonly running = new Map<string, { meta: M; done: boolean; promise: Promise<void> }>();

  has(key: string): boolean {
    return this.running.has(key);
  }

  /** Follow one child; its failure is reported by `all`, and until then is not unhandled. */
  start(key: string, meta: M, work: () => Promise<void>): void {
    const entry = { meta, done: false, promise: Promise.resolve() };
    entry.promise = work().finally(() => {
      entry.done = true;
    });
    entry.promise.catch(() => {});
    this.running.set(key, entry);
  }

  /** The children whose meta matches and that have not ended yet. */
  unfinished(match: (meta: M) => boolean): number {
    return [...this.running.values()].filter((e) => !e.done && match(e.meta)).length;
  }

  /**
   * Run the parent's own loop; then wait for every child. If either fails, the other children
   * are settled first, and the failure goes up.
   */
  async around(loop: () => Promise<void>): Promise<void> {
    try {
      await loop();
      await Promise.all([...this.running.values()].map((e) => e.promise));
    } catch (error) {
      await Promise.allSettled([...this.running.values()].map((e) => e.promise));
      throw error;
    }
  }
}
