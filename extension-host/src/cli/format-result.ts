import { inspect } from 'node:util';

/**
 * A call's result as `tether run --call` and `tether exec` print it: `util.inspect` (depth 8, no colours), or
 * with `json` one line of JSON, where a BigInt becomes its digits, a Map an object, a Set an array and bytes
 * base64.
 */
export function formatResult(value: unknown, json: boolean): string {
  return json ? toJson(value) : inspect(value, { depth: 8, colors: false });
}

function toJson(value: unknown): string {
  // `undefined` (a method that returns nothing) has no JSON text: it prints as null.
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return Object.fromEntries(v as Map<unknown, unknown>) as unknown;
      if (v instanceof Set) return [...(v as Set<unknown>)];
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return v;
    }) ?? 'null'
  );
}
