import { builtinModules } from 'node:module';

/** Longest npm package name, scope included. */
export const MAX_PACKAGE_NAME_LENGTH = 214;

// npm's rule for new packages: lowercase, URL-safe characters, an optional @scope/ (checked with the rest).
const namePattern = /^(?:@([a-z0-9-._~]+)\/)?([a-z0-9-._~]+)$/;
const reservedNames = new Set(['node_modules', 'favicon.ico']);

/**
 * Why `name` is not a valid name for a new npm package (npm's validate-npm-package-name rules), or
 * `undefined` when it is valid. The reason reads after "package name …".
 */
export function npmPackageNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_PACKAGE_NAME_LENGTH) return `is longer than ${MAX_PACKAGE_NAME_LENGTH} characters`;
  if (name.trim() !== name) return 'has leading or trailing spaces';
  if (name.toLowerCase() !== name) return 'has capital letters; npm names are lowercase';
  if (name.startsWith('.') || name.startsWith('_')) return "starts with '.' or '_'";
  if (reservedNames.has(name)) return 'is a reserved name';
  if (builtinModules.includes(name)) return 'is the name of a Node.js core module';
  if (!namePattern.test(name)) {
    return name.startsWith('@')
      ? 'is not a valid scoped name; use "@scope/name" with lowercase letters, digits, "-", "." or "_"'
      : 'has characters npm does not allow; use lowercase letters, digits, "-", "." or "_"';
  }
  return undefined;
}
