import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { COMMAND_SERVICE_NAME } from '@tether/sdk';
import { checkContributes } from './check-contributes.js';
import { checkActivation, checkCrashLimit, checkIdleTimeout } from './check-lifecycle-fields.js';
import { didYouMean } from './did-you-mean.js';
import { HOST_VERSION } from './host-version.js';
import { InvalidManifestError } from './invalid-manifest-error.js';
import {
  DEFAULT_RUNNER,
  manifestKeys,
  runnerKinds,
  type ExtensionManifest,
  type RunnerKind,
} from './manifest.js';
import { describeValue, field, isRecord } from './manifest-value.js';
import { npmPackageNameProblem } from './npm-package-name.js';
import { checkRequires } from './check-requires.js';
import { parseRange } from './semver-range.js';
import { isValidVersion } from './semver.js';

/** Same rule as the SDK's `defineService` names, so every declared service can be dispensed. */
const serviceNamePattern = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
/** Host API capability names: lowercase words joined by dots (`storage`, `ui.notifications`). */
const hostApiPattern = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;
const sha256Pattern = /^[0-9a-fA-F]{64}$/;
/** Longest `displayName`, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 100;

/**
 * Reads and validates the manifest of the extension in `extensionDir` (its package.json).
 * @throws InvalidManifestError (`INVALID_MANIFEST`) listing every problem, including a missing or
 *   unreadable package.json.
 */
export async function readManifest(extensionDir: string): Promise<ExtensionManifest> {
  const dir = path.resolve(extensionDir);
  const source = path.join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new InvalidManifestError(dir, [await describeReadFailure(dir, error)], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidManifestError(source, [`package.json is not valid JSON (${reason}); fix its syntax`], {
      cause: error,
    });
  }
  return parseManifest(json, source);
}

async function describeReadFailure(dir: string, error: unknown): Promise<string> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => undefined,
  );
  if (isDir === undefined) return 'the folder does not exist; check the extension path';
  if (!isDir) return 'this is a file, not a folder; give the extension folder (the one with package.json)';
  if (code === 'ENOENT') {
    return 'there is no package.json; an extension is an npm package folder whose package.json has a "tether" section';
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `package.json could not be read (${reason}); check its permissions`;
}

/**
 * Validates a parsed package.json as an extension manifest. `source` names where it came from, for
 * messages. Every problem is collected before throwing, so one run shows all of them.
 * @throws InvalidManifestError (`INVALID_MANIFEST`) with `problems`, one per field at fault.
 */
export function parseManifest(json: unknown, source: string): ExtensionManifest {
  const problems: string[] = [];
  if (!isRecord(json)) {
    throw new InvalidManifestError(source, [
      `package.json must contain a JSON object; got ${describeValue(json)}`,
    ]);
  }
  const name = checkName(json['name'], problems);
  const version = checkVersion(json['version'], problems);
  const tether = json['tether'];
  if (!isRecord(tether)) {
    problems.push(
      tether === undefined
        ? `package.json has no "tether" section; add one like "tether": { "entry": "dist/plugin.js", "services": { "myService": [1] }, "host": "^${HOST_VERSION}" }`
        : `tether must be an object like { "entry": "dist/plugin.js", … }; got ${describeValue(tether)}`,
    );
    throw new InvalidManifestError(source, problems);
  }
  for (const key of Object.keys(tether)) {
    if (!(manifestKeys as readonly string[]).includes(key)) {
      problems.push(
        `${field('tether', key)} is not a manifest field${didYouMean(key, manifestKeys)}; the fields are ${manifestKeys.join(', ')}`,
      );
    }
  }
  const entry = checkEntry(tether['entry'], problems);
  const runner = checkRunner(tether['runner'], problems);
  const services = checkServices(tether['services'], problems);
  const host = checkHost(tether['host'], problems);
  const hostApis = checkHostApis(tether['hostApis'], problems);
  const displayName = checkDisplayName(tether['displayName'], problems);
  const sha256 = checkSha256(tether['sha256'], problems);
  const handshake = checkHandshake(tether['handshake'], problems);
  const activation = checkActivation(tether['activation'], problems);
  const idleTimeoutMs = checkIdleTimeout(tether['idleTimeoutSeconds'], activation, problems);
  const crashLimit = checkCrashLimit(tether['crashLimit'], problems);
  const commands = checkContributes(tether['contributes'], problems);
  const requires = checkRequires(tether['requires'], problems);
  if (problems.length > 0) throw new InvalidManifestError(source, problems);
  return {
    name: name!,
    version: version!,
    displayName: displayName ?? name!,
    entry: entry!,
    runner,
    services,
    host: host!,
    hostApis,
    ...(sha256 === undefined ? {} : { sha256 }),
    ...(handshake === undefined ? {} : { handshake }),
    activation,
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    ...(crashLimit === undefined ? {} : { crashLimit }),
    commands,
    requires,
    source,
  };
}

function checkName(value: unknown, problems: string[]): string | undefined {
  if (value === undefined) {
    problems.push(
      'name is missing; an extension is an npm package, so package.json needs a "name" like "@acme/kv"',
    );
    return undefined;
  }
  const problem = typeof value === 'string' ? npmPackageNameProblem(value) : 'is not a string';
  if (problem === undefined) return value as string;
  problems.push(
    `name must be a valid npm package name, like "@acme/kv"; got ${describeValue(value)}, which ${problem}`,
  );
  return undefined;
}

function checkVersion(value: unknown, problems: string[]): string | undefined {
  if (typeof value === 'string' && isValidVersion(value)) return value;
  problems.push(
    value === undefined
      ? 'version is missing; add a semantic version like "version": "1.0.0"'
      : `version must be a semantic version like "1.2.0" (three numbers, no "v"); got ${describeValue(value)}`,
  );
  return undefined;
}

/** Why `entry` is not a relative path inside the package, or undefined; also returns the normalized path. */
export function checkEntryPath(entry: string): { readonly path: string } | { readonly problem: string } {
  if (entry.includes('\0')) return { problem: 'it contains a NUL byte' };
  if (entry.trim() === '') return { problem: 'it is empty' };
  if (/^[A-Za-z]:/.test(entry) || entry.startsWith('/') || entry.startsWith('\\')) {
    return { problem: 'it is an absolute path' };
  }
  if (entry.includes('\\')) return { problem: 'it uses "\\"; separate folders with "/"' };
  const segments = entry.split('/').filter((segment) => segment !== '.');
  if (segments.includes('..')) return { problem: 'it leaves the package with ".."' };
  if (segments.length === 0 || segments.includes('')) return { problem: 'it does not name a file' };
  return { path: segments.join('/') };
}

function checkEntry(value: unknown, problems: string[]): string | undefined {
  const hint = 'tether.entry must be a relative path inside the package, like "dist/plugin.js"';
  if (value === undefined) {
    problems.push(
      `tether.entry is missing; set it to the file that serves the extension, like "dist/plugin.js"`,
    );
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(`${hint}; got ${describeValue(value)}`);
    return undefined;
  }
  const result = checkEntryPath(value);
  if ('path' in result) return result.path;
  problems.push(`${hint}; got ${describeValue(value)} (${result.problem})`);
  return undefined;
}

function checkRunner(value: unknown, problems: string[]): RunnerKind {
  if (value === undefined) return DEFAULT_RUNNER;
  if (typeof value === 'string' && (runnerKinds as readonly string[]).includes(value))
    return value as RunnerKind;
  const suggestion = typeof value === 'string' ? didYouMean(value, runnerKinds) : '';
  problems.push(
    `tether.runner must be one of ${runnerKinds.map((r) => JSON.stringify(r)).join(', ')} (or left out for "${DEFAULT_RUNNER}"); got ${describeValue(value)}${suggestion}`,
  );
  return DEFAULT_RUNNER;
}

function checkServices(value: unknown, problems: string[]): ReadonlyMap<string, readonly number[]> {
  const services = new Map<string, readonly number[]>();
  const example = '"services": { "kv": [1] }';
  if (value === undefined) {
    problems.push(
      `tether.services is missing; list the services the extension provides and their protocol versions, like ${example}`,
    );
    return services;
  }
  if (!isRecord(value) || Object.keys(value).length === 0) {
    problems.push(
      `tether.services must map each service name to its protocol versions, like ${example}; got ${describeValue(value)}`,
    );
    return services;
  }
  for (const [name, versions] of Object.entries(value)) {
    const path = field('tether.services', name);
    if (!serviceNamePattern.test(name)) {
      problems.push(
        `${path} is not a valid service name: use letters, digits, '.', '_' or '-', starting with a letter (at most 128 characters)`,
      );
    } else if (name === COMMAND_SERVICE_NAME) {
      problems.push(
        `${path} is reserved for the built-in commands service, which a plugin serves by itself when it registers commands; list its commands in tether.contributes.commands instead`,
      );
    }
    if (!Array.isArray(versions) || versions.length === 0) {
      problems.push(
        `${path} must list the protocol versions the extension provides, like [1]; got ${describeValue(versions)}`,
      );
      continue;
    }
    const seen = new Set<number>();
    versions.forEach((version: unknown, index) => {
      if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
        problems.push(
          `${path}[${index}] must be a protocol version, a whole number ≥ 1 like 1; got ${describeValue(version)}`,
        );
      } else if (seen.has(version)) {
        problems.push(`${path}[${index}] repeats protocol version ${version}; list each version once`);
      } else {
        seen.add(version);
      }
    });
    services.set(
      name,
      [...seen].sort((a, b) => a - b),
    );
  }
  return services;
}

function checkHost(value: unknown, problems: string[]): string | undefined {
  const example = `"host": "^${HOST_VERSION}"`;
  if (value === undefined) {
    problems.push(
      `tether.host is missing; say which Tether host versions the extension works with, like ${example}`,
    );
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(
      `tether.host must be a semver range of Tether host versions, like ${example}; got ${describeValue(value)}`,
    );
    return undefined;
  }
  const result = parseRange(value);
  if (result.ok) return value.trim();
  problems.push(
    `tether.host must be a semver range of Tether host versions, like ${example} or ">=0.1.0 <2"; got ${describeValue(value)}: ${result.error}`,
  );
  return undefined;
}

function checkHostApis(value: unknown, problems: string[]): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(
      `tether.hostApis must be a list of host API names, like ["storage"]; got ${describeValue(value)}`,
    );
    return [];
  }
  const apis: string[] = [];
  value.forEach((api: unknown, index) => {
    if (typeof api !== 'string' || !hostApiPattern.test(api)) {
      problems.push(
        `tether.hostApis[${index}] must be a host API name (lowercase words joined by dots, like "storage" or "ui.notifications"); got ${describeValue(api)}`,
      );
    } else if (apis.includes(api)) {
      problems.push(`tether.hostApis[${index}] repeats ${JSON.stringify(api)}; list each host API once`);
    } else {
      apis.push(api);
    }
  });
  return apis;
}

function checkDisplayName(value: unknown, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string' && /[\u0000-\u001f\u007f]/.test(value) === false) {
    const trimmed = value.trim();
    if (trimmed !== '' && trimmed.length <= MAX_DISPLAY_NAME_LENGTH) return trimmed;
  }
  problems.push(
    `tether.displayName must be a short name for people (1–${MAX_DISPLAY_NAME_LENGTH} characters, one line), like "Key-value store"; got ${describeValue(value)}`,
  );
  return undefined;
}

function checkSha256(value: unknown, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && sha256Pattern.test(value)) return value.toLowerCase();
  problems.push(
    `tether.sha256 must be the SHA-256 of the entry file as 64 hex digits (from "sha256sum <entry>"), or left out; got ${describeValue(value)}`,
  );
  return undefined;
}

function checkHandshake(
  value: unknown,
  problems: string[],
): { cookieKey: string; cookieValue: string } | undefined {
  if (value === undefined) return undefined;
  const key: unknown = isRecord(value) ? value['cookieKey'] : undefined;
  const cookie: unknown = isRecord(value) ? value['cookieValue'] : undefined;
  if (
    isRecord(value) &&
    Object.keys(value).length === 2 &&
    typeof key === 'string' &&
    /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key) &&
    typeof cookie === 'string' &&
    cookie.length > 0 &&
    cookie.length <= 1024
  ) {
    return { cookieKey: key, cookieValue: cookie };
  }
  problems.push(
    `tether.handshake must be the app's magic cookie as { "cookieKey": "MY_APP_PLUGIN", "cookieValue": "…" } (an environment variable name and a non-empty value, nothing else), or left out; got ${describeValue(value)}`,
  );
  return undefined;
}
