import { TetherError, type Event, type ServiceBinding } from '@tether/sdk';

/** One refused use of a host API, as the audit log keeps it. */
export interface HostApiDenial {
  readonly extension: string;
  readonly service: string;
  /** The method called, or the event subscribed to. */
  readonly method: string;
  readonly time: number;
  /** Why: not in the manifest's `hostApis`, or not granted by the user. */
  readonly reason: 'not-declared' | 'not-granted';
}

/** Whether an extension may use a host API now: declared in its manifest, and granted by the user. */
export type HostApiCheck = (service: string) => 'allowed' | 'not-declared' | 'not-granted';

/**
 * The app's host services as one extension sees them: every call is checked against the extension's
 * permissions *at call time* (a grant or a revocation applies at once, without a restart); a refused call
 * rejects with PERMISSION_DENIED saying how to get the permission, and is reported to `onDenied` (the audit
 * log). Events of a refused service are not delivered (the subscription is audited once).
 */
export function gateHostServices(
  extension: string,
  bindings: readonly ServiceBinding[],
  check: HostApiCheck,
  onDenied: (denial: HostApiDenial) => void,
): ServiceBinding[] {
  return bindings.map(({ definition, implementation }) => {
    const service = definition.name;
    const target = implementation as Record<string, unknown>;
    const gated: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const refuse = (member: string, verdict: 'not-declared' | 'not-granted'): TetherError => {
      onDenied({ extension, service, method: member, time: Date.now(), reason: verdict });
      return new TetherError('PERMISSION_DENIED', deniedMessage(extension, service, member, verdict));
    };
    for (const method of definition.methods.keys()) {
      gated[method] = (...args: unknown[]): unknown => {
        const verdict = check(service);
        if (verdict !== 'allowed') throw refuse(method, verdict);
        return (target[method] as (...a: unknown[]) => unknown).apply(implementation, args);
      };
    }
    for (const event of definition.events) {
      const subscribe: Event<unknown> = (listener) => {
        const verdict = check(service);
        if (verdict !== 'allowed') refuse(event, verdict);
        return (target[event] as Event<unknown>).call(implementation, (payload: unknown) => {
          if (check(service) === 'allowed') listener(payload);
        });
      };
      gated[event] = subscribe;
    }
    return Object.freeze({ definition, implementation: Object.freeze(gated) });
  });
}

function deniedMessage(
  extension: string,
  service: string,
  member: string,
  verdict: 'not-declared' | 'not-granted',
): string {
  return verdict === 'not-declared'
    ? `Extension "${extension}" may not use the host API "${service}" (${member}): its manifest does not list it in tether.hostApis. Add "${service}" to hostApis in its package.json; the user then has to grant it.`
    : `Extension "${extension}" may not use the host API "${service}" (${member}): the user has not granted it. Grant it in the app's extension manager (or \`manager.grant("${extension}", "${service}")\`).`;
}
