import type { CommandName } from './cli-flags.js';
import { fromTaggedJson } from './tagged-json.js';
import { UsageError } from './usage-error.js';

/**
 * A `--call` or `tether exec` argument: its JSON value when it is valid JSON (`42`, `true`, `{"a":1}`,
 * `"quoted"`), with tagged values rebuilt (`{"$date": "2024-05-01T10:00:00Z"}` → a Date; tagged-json.ts),
 * else the text itself (`hello`).
 * @param where names the argument in messages: `argument 2 of --call kv.set`.
 * @param command the command whose help a usage error points at.
 * @throws UsageError for valid JSON holding a malformed or unknown tag, saying which argument and where.
 */
export function parseCallArgument(text: string, where = 'the argument', command?: CommandName): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return text;
  }
  return fromTaggedJson(json, (path, problem) => {
    throw new UsageError(`${where}${path === '' ? '' : ` at ${path}`}: ${problem}`, command);
  });
}

/** Each of `texts` parsed by parseCallArgument, named `argument <n> of <target>` (1-based). */
export function parseCallArguments(
  texts: readonly string[],
  target: string,
  command: CommandName,
): unknown[] {
  return texts.map((text, index) => parseCallArgument(text, `argument ${index + 1} of ${target}`, command));
}
