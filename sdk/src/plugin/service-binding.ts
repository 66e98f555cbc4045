// A service implementation bound to its declaration, ready for a plugin to serve: `implement(greeter, {...})`.
import { TetherError } from '../errors/tether-error.js';
import type { ServiceDefinition } from '../rpc/service.js';

/** One service a plugin serves: made by {@link implement}, passed to `serve({ services: [...] })`. */
export interface ServiceBinding {
  /** The service's declaration (its name and the methods and events it lists). */
  readonly definition: ServiceDefinition<unknown>;
  /** Its implementation, checked against the declaration by {@link implement}: `peer.expose(definition, implementation)`. */
  readonly implementation: object;
}

/**
 * Binds an implementation to a service declaration. The implementation must satisfy the declaration's
 * interface (a type error otherwise); at run time every declared method must be a function.
 *
 * ```ts
 * serve({ handshake, services: [implement(greeter, { greet: (name) => `Hello, ${name}!` })] });
 * ```
 */
export function implement<T>(service: ServiceDefinition<T>, implementation: NoInfer<T>): ServiceBinding {
  if (
    (typeof implementation !== 'object' && typeof implementation !== 'function') ||
    implementation === null
  ) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `implement(${service.name}): the implementation must be an object with the service's methods.`,
    );
  }
  for (const method of service.methods.keys()) {
    if (typeof (implementation as Record<string, unknown>)[method] !== 'function') {
      throw new TetherError(
        'INVALID_OPTIONS',
        `implement(${service.name}): the implementation has no method "${method}", which the service declares. Add it.`,
      );
    }
  }
  return Object.freeze({ definition: service, implementation });
}
