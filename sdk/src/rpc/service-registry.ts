import type { Disposable } from '../common/disposable.js';
import type { Event } from '../common/event.js';
import { TetherError } from '../errors/tether-error.js';
import type { ServiceDefinition } from './service.js';

interface ExposedService {
  readonly definition: ServiceDefinition<unknown>;
  readonly implementation: object;
}

/**
 * The services one side exposes, and the dispatch table built from their definitions: a method is callable
 * only if its service declares it, so `__proto__`, `constructor` or `toString` are never reachable.
 */
export class ServiceRegistry {
  readonly #services = new Map<string, ExposedService>();
  readonly #forwarders = new Map<string, Disposable>();
  readonly #emit: (service: string, event: string, payload: unknown) => void;

  constructor(emit: (service: string, event: string, payload: unknown) => void) {
    this.#emit = emit;
  }

  get forwardingCount(): number {
    return this.#forwarders.size;
  }

  names(): string[] {
    return [...this.#services.keys()];
  }

  add(definition: ServiceDefinition<unknown>, implementation: object): Disposable {
    if (this.#services.has(definition.name)) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `Service "${definition.name}" is already exposed; dispose the first one before exposing it again.`,
      );
    }
    if (
      (typeof implementation !== 'object' && typeof implementation !== 'function') ||
      implementation === null
    ) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `The implementation of service "${definition.name}" must be an object.`,
      );
    }
    for (const method of definition.methods.keys()) {
      if (typeof (implementation as Record<string, unknown>)[method] !== 'function') {
        throw new TetherError(
          'INVALID_OPTIONS',
          `The implementation of service "${definition.name}" has no method "${method}", which the service declares.`,
        );
      }
    }
    const entry: ExposedService = { definition, implementation };
    this.#services.set(definition.name, entry);
    return {
      dispose: () => {
        if (this.#services.get(definition.name) !== entry) return;
        this.#services.delete(definition.name);
        for (const event of definition.events) this.unsubscribe(definition.name, event);
      },
    };
  }

  /** The function to run for `service.method`, and its `this`. Throws SERVICE_NOT_FOUND / METHOD_NOT_FOUND. */
  lookup(service: string, method: string): [(...args: unknown[]) => unknown, unknown] {
    const entry = this.#services.get(service);
    if (entry === undefined) {
      const names = this.names();
      throw new TetherError(
        'SERVICE_NOT_FOUND',
        `No service "${service}" here. ${names.length === 0 ? 'This side exposes no services.' : `This side exposes: ${names.join(', ')}.`}`,
      );
    }
    if (!entry.definition.methods.has(method)) {
      throw new TetherError(
        'METHOD_NOT_FOUND',
        `Service "${service}" has no method ${JSON.stringify(method)}. Its methods are: ${[...entry.definition.methods.keys()].join(', ')}.`,
      );
    }
    const fn = (entry.implementation as Record<string, unknown>)[method];
    if (typeof fn !== 'function') {
      throw new TetherError(
        'METHOD_NOT_FOUND',
        `Service "${service}" declares ${method} but its implementation has no such function.`,
      );
    }
    return [fn as (...args: unknown[]) => unknown, entry.implementation];
  }

  /** The peer wants this event: forward it from the implementation's Event until unsubscribed. */
  subscribe(service: string, event: string): void {
    const key = `${service}\u0000${event}`;
    if (this.#forwarders.has(key)) return;
    const entry = this.#services.get(service);
    if (entry === undefined || !entry.definition.events.has(event)) return;
    const source = (entry.implementation as Record<string, unknown>)[event];
    if (typeof source !== 'function') return;
    const subscription = (source as Event<unknown>).call(entry.implementation, (payload: unknown) =>
      this.#emit(service, event, payload),
    );
    this.#forwarders.set(key, subscription);
  }

  unsubscribe(service: string, event: string): void {
    const key = `${service}\u0000${event}`;
    const subscription = this.#forwarders.get(key);
    if (subscription === undefined) return;
    this.#forwarders.delete(key);
    subscription.dispose();
  }

  clear(): void {
    for (const subscription of this.#forwarders.values()) subscription.dispose();
    this.#forwarders.clear();
  }
}
