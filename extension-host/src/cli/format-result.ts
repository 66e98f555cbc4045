import { inspect } from 'node:util';
import { toTaggedJson } from './tagged-json.js';

/**
 * A value as `tether run --call` and `tether exec` print it (a result, or one item of a streamed result):
 * `util.inspect` (depth 8, no colours), or with `json` one line of JSON in the tagged form of tagged-json.ts
 * (`{"$map": [[k, v]]}`, `{"$date": "…"}`, `{"$bytes": "base64"}`, …), which `--call` arguments take too.
 */
export function formatResult(value: unknown, json: boolean): string {
  return json ? toTaggedJson(value) : inspect(value, { depth: 8, colors: false });
}
