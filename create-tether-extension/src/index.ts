// create-tether-extension as a library: what the command does, for a tool that wants to do the same
// (`tether init`, a test).
export { scaffold, type ScaffoldOptions, type ScaffoldResult } from './scaffold.js';
export { ScaffoldError, type ScaffoldErrorCode } from './scaffold-error.js';
export { packageNameProblem, suggestPackageName } from './package-name.js';
export { main, type CliIo } from './main.js';
