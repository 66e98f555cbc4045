// The project's name: a valid name for a new npm package (npm's validate-npm-package-name rules), and a
// valid name to suggest when the folder's is not one.
import { builtinModules } from 'node:module';

/** Longest npm package name, scope included. */
export const MAX_PACKAGE_NAME_LENGTH = 214;

// Lowercase, URL-safe characters, an optional @scope/.
const namePattern = /^(?:@([a-z0-9-._~]+)\/)?([a-z0-9-._~]+)$/;
// npm refuses these in the name part (not the scope) of a new package.
const specialCharacters = /[~'!()*]/;
const reservedNames = new Set(['node_modules', 'favicon.ico']);

/**
 * Why `name` is not a valid name for a new npm package, or `undefined` when it is. The reason reads after
 * "the name … ".
 */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_PACKAGE_NAME_LENGTH) return `is longer than ${MAX_PACKAGE_NAME_LENGTH} characters`;
  if (name.trim() !== name) return 'has leading or trailing spaces';
  if (name.toLowerCase() !== name) return 'has capital letters; npm names are lowercase';
  if (name.startsWith('.') || name.startsWith('_')) return "starts with '.' or '_'";
  if (reservedNames.has(name)) return 'is a reserved name';
  if (builtinModules.includes(name)) return 'is the name of a Node.js core module';
  const match = namePattern.exec(name);
  if (match === null) {
    return name.startsWith('@')
      ? 'is not a valid scoped name; use "@scope/name" with lowercase letters, digits, "-", "." or "_"'
      : 'has characters npm does not allow; use lowercase letters, digits, "-", "." or "_"';
  }
  const unscoped = match[2] ?? '';
  if (unscoped.startsWith('.') || unscoped.startsWith('_'))
    return "has a name part that starts with '.' or '_'";
  if (specialCharacters.test(unscoped)) return `has a character npm does not allow in a name (~'!()*)`;
  return undefined;
}

/**
 * A valid package name close to `text` (a folder's name): lowercase, unaccented, each run of other characters a "-",
 * no leading or trailing "-", "." or "_". `undefined` when nothing valid is left ("***", "node_modules").
 */
export function suggestPackageName(text: string): string | undefined {
  const suggestion = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: é → e
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, MAX_PACKAGE_NAME_LENGTH)
    .replace(/[-._]+$/, '');
  return packageNameProblem(suggestion) === undefined ? suggestion : undefined;
}

/** The name without its scope: `@acme/kv` → `kv`. */
export function unscopedName(name: string): string {
  return name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
}
