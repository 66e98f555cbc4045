import { ReferenceKind } from './rpc-protocol.js';

/** A local function or object the peer holds a reference to. */
export interface ExportedReference {
  readonly id: number;
  readonly target: object;
  readonly kind: (typeof ReferenceKind)[keyof typeof ReferenceKind];
  /** Callable members, built once from the object's own and inherited methods (never Object.prototype's). */
  readonly methods: ReadonlyMap<string, (...args: unknown[]) => unknown>;
  /** Times it was sent and not yet released by the peer. */
  sent: number;
}

/**
 * The functions and objects this side passed by reference, by id. An entry lives while the peer holds at
 * least one receipt of it: each send counts one, each RELEASE from the peer subtracts what it received,
 * so a release racing with a re-send never frees a reference still in use.
 */
export class ExportedReferences {
  #nextId = 1;
  readonly #byId = new Map<number, ExportedReference>();
  readonly #byTarget = new WeakMap<object, ExportedReference>();

  get size(): number {
    return this.#byId.size;
  }

  /** Records one more send of `target` and returns its entry. */
  export(target: object): ExportedReference {
    let entry = this.#byTarget.get(target);
    if (entry === undefined) {
      const isFunction = typeof target === 'function';
      entry = {
        id: this.#nextId++,
        target,
        kind: isFunction ? ReferenceKind.Function : ReferenceKind.Object,
        methods: isFunction ? new Map() : collectMethods(target),
        sent: 0,
      };
      this.#byId.set(entry.id, entry);
      this.#byTarget.set(target, entry);
    }
    entry.sent += 1;
    return entry;
  }

  get(id: number): ExportedReference | undefined {
    return this.#byId.get(id);
  }

  /** Undoes `count` sends (a RELEASE from the peer, or a send that failed). */
  release(id: number, count: number): void {
    const entry = this.#byId.get(id);
    if (entry === undefined) return;
    entry.sent -= count;
    if (entry.sent <= 0) {
      this.#byId.delete(id);
      this.#byTarget.delete(entry.target);
    }
  }

  clear(): void {
    for (const entry of this.#byId.values()) this.#byTarget.delete(entry.target);
    this.#byId.clear();
  }
}

const excluded = new Set(['constructor', '__proto__', 'then']);

/** Own and inherited function members, stopping before Object.prototype / Function.prototype. */
function collectMethods(target: object): Map<string, (...args: unknown[]) => unknown> {
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  for (
    let level: object | null = target;
    level !== null && level !== Object.prototype && level !== Function.prototype;
    level = Object.getPrototypeOf(level) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(level)) {
      if (excluded.has(key) || methods.has(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(level, key);
      if (descriptor !== undefined && typeof descriptor.value === 'function') {
        methods.set(key, descriptor.value as (...args: unknown[]) => unknown);
      }
    }
  }
  return methods;
}
