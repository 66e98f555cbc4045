// `tether.contributes`: what an extension adds to the app's UI — today its commands (docs/manifest.md). The
// ids follow the SDK's rule (`isValidCommandId`), the one `serve({ commands })` checks its handlers against.
import { MAX_COMMAND_ID_LENGTH, isValidCommandId } from '@tether/sdk';
import { MAX_COMMAND_ARGUMENTS_LENGTH, MAX_COMMAND_TITLE_LENGTH } from '../constants.js';
import { didYouMean } from './did-you-mean.js';
import { commandKeys, contributesKeys, type ManifestCommand } from './manifest.js';
import { describeValue, field, isRecord } from './manifest-value.js';

const commandExample = '{ "id": "kv.clear", "title": "Clear the store" }';

/** The contributed commands (empty when none); every problem found goes to `problems`. */
export function checkContributes(value: unknown, problems: string[]): readonly ManifestCommand[] {
  if (value === undefined) return [];
  if (!isRecord(value)) {
    problems.push(
      `tether.contributes must be an object like { "commands": [${commandExample}] }, or left out; got ${describeValue(value)}`,
    );
    return [];
  }
  for (const key of Object.keys(value)) {
    if (!(contributesKeys as readonly string[]).includes(key)) {
      problems.push(
        `${field('tether.contributes', key)} is not something an extension can contribute${didYouMean(key, contributesKeys)}; the fields are ${contributesKeys.join(', ')}`,
      );
    }
  }
  return checkCommands(value['commands'], problems);
}

function checkCommands(value: unknown, problems: string[]): readonly ManifestCommand[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(
      `tether.contributes.commands must be a list of commands like [${commandExample}]; got ${describeValue(value)}`,
    );
    return [];
  }
  const commands: ManifestCommand[] = [];
  const seen = new Map<string, number>();
  value.forEach((command: unknown, index) => {
    const path = `tether.contributes.commands[${index}]`;
    if (!isRecord(command)) {
      problems.push(`${path} must be an object like ${commandExample}; got ${describeValue(command)}`);
      return;
    }
    const before = problems.length;
    for (const key of Object.keys(command)) {
      if (!(commandKeys as readonly string[]).includes(key)) {
        problems.push(
          `${field(path, key)} is not a command field${didYouMean(key, commandKeys)}; the fields are ${commandKeys.join(', ')}`,
        );
      }
    }
    const id = checkId(command['id'], path, seen, problems);
    if (id !== undefined) seen.set(id, index);
    const title = checkText(command['title'], `${path}.title`, MAX_COMMAND_TITLE_LENGTH, problems, {
      missing: `give the command the title people see, like "Clear the store"`,
      what: 'the title people see',
      example: '"Clear the store"',
    });
    const args =
      command['arguments'] === undefined
        ? undefined
        : checkText(command['arguments'], `${path}.arguments`, MAX_COMMAND_ARGUMENTS_LENGTH, problems, {
            what: "a description of the command's arguments for people",
            example: '"<prefix>: only the keys that start with it"',
            orLeftOut: true,
          });
    if (problems.length > before || id === undefined || title === undefined) return;
    commands.push({ id, title, ...(args === undefined ? {} : { arguments: args }) });
  });
  return commands;
}

function checkId(
  value: unknown,
  path: string,
  seen: ReadonlyMap<string, number>,
  problems: string[],
): string | undefined {
  if (value === undefined) {
    problems.push(
      `${path}.id is missing; give the command an id like "kv.clear", the key of its handler in serve({ commands })`,
    );
    return undefined;
  }
  if (!isValidCommandId(value)) {
    problems.push(
      `${path}.id must be a command id: letters, digits, '.', '_' or '-', starting with a letter (at most ${MAX_COMMAND_ID_LENGTH} characters), like "kv.clear"; got ${describeValue(value)}`,
    );
    return undefined;
  }
  const first = seen.get(value);
  if (first !== undefined) {
    problems.push(
      `${path}.id repeats ${JSON.stringify(value)} (tether.contributes.commands[${first}] has it); give each command its own id`,
    );
    return undefined;
  }
  return value;
}

/** A one-line text for people: trimmed, 1–`max` characters, no control characters. */
function checkText(
  value: unknown,
  path: string,
  max: number,
  problems: string[],
  words: { missing?: string; what: string; example: string; orLeftOut?: boolean },
): string | undefined {
  if (value === undefined && words.missing !== undefined) {
    problems.push(`${path} is missing; ${words.missing}`);
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string' && !/[\u0000-\u001f\u007f]/.test(value)) {
    const trimmed = value.trim();
    if (trimmed !== '' && trimmed.length <= max) return trimmed;
  }
  problems.push(
    `${path} must be ${words.what} (1–${max} characters, one line), like ${words.example}${words.orLeftOut === true ? ', or left out' : ''}; got ${describeValue(value)}`,
  );
  return undefined;
}
