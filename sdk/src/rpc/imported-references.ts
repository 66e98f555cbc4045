/**
 * The remotes this side holds for references the peer exported, by id. Each arriving reference counts one
 * receipt; when the remote is released explicitly or garbage-collected, all its receipts are returned to
 * the peer in one RELEASE so the peer can drop its entry.
 */
export class ImportedReferences {
  readonly #byId = new Map<number, { remote: WeakRef<object>; received: number }>();
  readonly #registry: FinalizationRegistry<number>;
  readonly #sendRelease: (id: number, count: number) => void;

  constructor(sendRelease: (id: number, count: number) => void) {
    this.#sendRelease = sendRelease;
    this.#registry = new FinalizationRegistry((id) => this.#collected(id));
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The live remote for `id`, counting this receipt, or undefined if it must be created (then call `add`). */
  receive(id: number): object | undefined {
    const entry = this.#byId.get(id);
    const remote = entry?.remote.deref();
    if (entry === undefined || remote === undefined) return undefined;
    entry.received += 1;
    return remote;
  }

  add(id: number, remote: object): void {
    const previous = this.#byId.get(id);
    // A previous remote for this id was collected but its finalizer has not run yet: carry its receipts over.
    const received = (previous?.received ?? 0) + 1;
    this.#byId.set(id, { remote: new WeakRef(remote), received });
    // The held value is only the id: holding the remote itself would keep it alive forever.
    this.#registry.register(remote, id, remote);
  }

  /** Explicit release: returns every receipt of `id` to the peer now. */
  release(id: number, remote: object): void {
    const entry = this.#byId.get(id);
    if (entry === undefined || entry.remote.deref() !== remote) return;
    this.#byId.delete(id);
    this.#registry.unregister(remote);
    this.#sendRelease(id, entry.received);
  }

  clear(): void {
    for (const entry of this.#byId.values()) {
      const remote = entry.remote.deref();
      if (remote !== undefined) this.#registry.unregister(remote);
    }
    this.#byId.clear();
  }

  #collected(id: number): void {
    const entry = this.#byId.get(id);
    if (entry === undefined || entry.remote.deref() !== undefined) return;
    this.#byId.delete(id);
    this.#sendRelease(id, entry.received);
  }
}
