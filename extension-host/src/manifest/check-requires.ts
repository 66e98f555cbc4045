import { isRecord, describeValue, field } from './manifest-value.js';
import { parseRange } from './semver-range.js';

const serviceNamePattern = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;

/**
 * `tether.requires`: services of other extensions this one needs, each with a semver range of its protocol
 * version (`{ "kv": "^2" }` — protocol version 2 reads as 2.0.0). The manager refuses to install an extension
 * whose requirements no installed extension meets, and starts the providers first.
 */
export function checkRequires(value: unknown, problems: string[]): ReadonlyMap<string, string> {
  const requires = new Map<string, string>();
  if (value === undefined) return requires;
  if (!isRecord(value)) {
    problems.push(
      `tether.requires must map each service another extension provides to a range of its protocol version, like "requires": { "kv": "^2" }; got ${describeValue(value)}`,
    );
    return requires;
  }
  for (const [service, range] of Object.entries(value)) {
    const path = field('tether.requires', service);
    if (!serviceNamePattern.test(service)) {
      problems.push(
        `${path} is not a valid service name: use letters, digits, '.', '_' or '-', starting with a letter`,
      );
      continue;
    }
    if (typeof range !== 'string') {
      problems.push(
        `${path} must be a semver range of the service's protocol version, like "^2"; got ${describeValue(range)}`,
      );
      continue;
    }
    const parsed = parseRange(range);
    if (!parsed.ok) {
      problems.push(`${path} is not a valid semver range: ${parsed.error}`);
      continue;
    }
    requires.set(service, range.trim());
  }
  return requires;
}
