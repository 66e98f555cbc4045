import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../manifest/did-you-mean.js';
import { canonicalFlag, commandNames, flagSpecs, flagsOf, type CommandName } from './cli-flags.js';
import { UsageError } from './usage-error.js';

/** What the scan of a command line found, before it is checked against the command. */
export interface ScannedLine {
  readonly command: CommandName | undefined;
  /** Canonical flag → its values (`''` for each use of a flag without a value), in the order given. */
  readonly flags: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
  /** The call's arguments after `--call service.method`. */
  readonly callArgs: readonly string[];
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** The flags as `node:util` `parseArgs` options: `--data` → `data: { type: 'string' }`, `-h` its short form. */
const nodeOptions: ParseArgsConfig['options'] = Object.fromEntries(
  Object.entries(flagSpecs).map(([flag, spec]) => [
    flag.slice(2),
    {
      type: spec.value === undefined ? 'boolean' : 'string',
      ...(spec.repeatable === true ? { multiple: true } : {}),
      ...(spec.aliases?.[0] === undefined ? {} : { short: spec.aliases[0].slice(1) }),
    },
  ]),
);

/** The short flags (`h`, `v`, `f`): a word of only these after one `-` is flags (`-fh`), any other a word. */
const shortLetters = new Set(
  Object.values(flagSpecs).flatMap((spec) => (spec.aliases ?? []).map((alias) => alias.slice(1))),
);

/**
 * Splits the line into the command, flags with their values, and bare words. The tokens come from
 * `node:util` `parseArgs` (`--flag=value`, short flags and groups of them, `--`); it runs with `strict: false`
 * because a word like `-1` (a negative number, a call argument) is not a flag here, and because its own
 * errors cannot say "did you mean" or which command a flag belongs to: those checks are below.
 * @throws UsageError for an unknown command or flag, a missing or extra value, a misplaced `--`.
 */
export function scanCommandLine(argv: readonly string[]): ScannedLine {
  const { tokens } = parseArgs({
    args: [...argv],
    options: nodeOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let command: CommandName | undefined;
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const callArgs: string[] = [];
  /** The flag whose extra values the bare words are (`--call`, `--extensions`), if any. */
  let collecting: string | undefined;
  /** The argv index of the last short group taken as a word (its letters come as one token each). */
  let wordIndex = -1;

  const word = (text: string): void => {
    if (collecting === '--call') callArgs.push(text);
    else if (collecting !== undefined) flags.get(collecting)!.push(text);
    else if (command === undefined && positionals.length === 0) command = toCommandName(text);
    else positionals.push(text);
  };

  for (const [position, token] of tokens.entries()) {
    if (token.kind === 'option-terminator') {
      const rest = tokens.slice(position + 1).map((t) => argv[t.index]!);
      if (flags.has('--call')) callArgs.push(...rest);
      else if (collecting === '--extensions') flags.get('--extensions')!.push(...rest);
      else if (command === 'exec') positionals.push(...rest);
      else
        throw new UsageError(
          '"--" is only used after --call service.method (tether run) or after the command of tether exec, before arguments that start with "-"',
          command,
        );
      break;
    }
    if (token.kind === 'positional') {
      word(token.value);
      continue;
    }
    const written = argv[token.index]!;
    if (!token.rawName.startsWith('--') && ![...written.slice(1)].every((l) => shortLetters.has(l))) {
      // `-1`, `-x`, `-1.5e3` come as one token per letter; the word is taken once.
      if (token.index !== wordIndex) word(written);
      wordIndex = token.index;
      continue;
    }
    collecting = undefined;
    const flag = canonicalFlag(token.rawName);
    if (flag === undefined) {
      throw new UsageError(
        `unknown option ${JSON.stringify(token.rawName)}${didYouMean(token.rawName, flagsOf(command))}`,
        command,
      );
    }
    takeValue(flags, flag, token, command);
    if (flagSpecs[flag]!.collects === true) collecting = flag;
  }
  return { command, flags, positionals, callArgs };
}

/** Records one use of `flag` (canonical) with the value its token carries, checking it. */
function takeValue(
  flags: Map<string, string[]>,
  flag: string,
  token: Extract<Token, { kind: 'option' }>,
  command: CommandName | undefined,
): void {
  const spec = flagSpecs[flag]!;
  const values = flags.get(flag) ?? [];
  if (values.length > 0 && spec.value !== undefined && spec.repeatable !== true) {
    throw new UsageError(`${flag} can be given once`, command);
  }
  flags.set(flag, values);
  const { value, inlineValue } = token;
  if (spec.value === undefined) {
    if (value !== undefined)
      throw new UsageError(`${flag} takes no value; got ${JSON.stringify(`${flag}=${value}`)}`, command);
    values.push('');
    return;
  }
  // A next word that starts with "-" is a flag or a mistake, not the value (`--data=-odd` if it is one).
  if (value === undefined || value === '' || (inlineValue !== true && value.startsWith('-'))) {
    throw new UsageError(`${flag} needs ${spec.value}`, command);
  }
  values.push(value);
}

function toCommandName(text: string): CommandName {
  if ((commandNames as readonly string[]).includes(text)) return text as CommandName;
  throw new UsageError(`unknown command ${JSON.stringify(text)}${didYouMean(text, commandNames)}`);
}
