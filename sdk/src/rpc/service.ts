import type { Event } from '../common/event.js';
import { TetherError } from '../errors/tether-error.js';

/** Options of one declared method. */
export interface MethodOptions {
  /** Default timeout of this method in ms (overrides the peer's default; 0 = none). */
  readonly timeout?: number;
  /** Fire-and-forget: the caller's promise resolves once the call is sent; no result or error comes back. */
  readonly notification?: boolean;
}

/** Names of the members of `T` that are events: members typed `Event<X>`. */
export type EventKeys<T> = {
  [K in keyof T & string]: T[K] extends Event<infer _E> ? K : never;
}[keyof T & string];

/** Names of the members of `T` that are methods (functions that are not events). */
export type MethodKeys<T> = {
  [K in keyof T & string]: T[K] extends Event<infer _E>
    ? never
    : T[K] extends (...args: never[]) => unknown
      ? K
      : never;
}[keyof T & string];

/** What `defineService` takes: every method of `T` (with its options) and every event, nothing else. */
export type ServiceSpec<T> = {
  readonly methods: { readonly [K in MethodKeys<T>]: MethodOptions };
} & ([EventKeys<T>] extends [never]
  ? { readonly events?: Record<never, never> }
  : { readonly events: { readonly [K in EventKeys<T>]: true } });

declare const serviceType: unique symbol;

/**
 * A service contract: the typed identifier both sides import. Built by {@link defineService}; the
 * receiving side dispatches only the methods and events listed here (never through prototypes).
 */
export interface ServiceDefinition<T> {
  readonly name: string;
  readonly methods: ReadonlyMap<string, MethodOptions>;
  readonly events: ReadonlySet<string>;
  /** Phantom: carries `T` in the type only. */
  readonly [serviceType]?: T;
}

const serviceNamePattern = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const memberNamePattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const reservedNames = new Set(['constructor', '__proto__', 'prototype', 'then', 'toString', 'valueOf']);

/**
 * Declares a service once, for both sides. The method list is checked against the interface at compile
 * time (a missing or extra method is a type error), and is what the receiving side dispatches from.
 *
 * ```ts
 * interface Greeter { greet(name: string): Promise<string> }
 * export const greeter = defineService<Greeter>()('greeter', { methods: { greet: {} } });
 * ```
 */
export function defineService<T>(): (name: string, spec: ServiceSpec<T>) => ServiceDefinition<T> {
  return (name, spec) => {
    if (!serviceNamePattern.test(name)) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `Service name ${JSON.stringify(name)} is not valid: use letters, digits, '.', '_' or '-', starting with a letter (at most 128 characters).`,
      );
    }
    const methods = new Map<string, MethodOptions>();
    for (const [method, options] of Object.entries(spec.methods as Record<string, MethodOptions>)) {
      checkMemberName(name, method);
      const timeout = options.timeout;
      if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0)) {
        throw new TetherError(
          'INVALID_OPTIONS',
          `Service "${name}": method "${method}" has timeout ${String(timeout)}; use a number of milliseconds ≥ 0.`,
        );
      }
      methods.set(method, Object.freeze({ ...options }));
    }
    const events = new Set<string>();
    for (const event of Object.keys(spec.events ?? {})) {
      checkMemberName(name, event);
      if (methods.has(event)) {
        throw new TetherError(
          'INVALID_OPTIONS',
          `Service "${name}": "${event}" is declared both as a method and an event.`,
        );
      }
      events.add(event);
    }
    return Object.freeze({ name, methods, events });
  };
}

function checkMemberName(service: string, member: string): void {
  if (!memberNamePattern.test(member) || reservedNames.has(member)) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Service "${service}": "${member}" cannot be a method or event name (it must be an identifier and not one of ${[...reservedNames].join(', ')}).`,
    );
  }
}
