// The detached signature of an extension package (`<archive>.sig`): its JSON document and the exact bytes
// that are signed. docs/packaging.md "Signed packages" describes the format and why each field is there.
import { isKeyId } from './key-id.js';
import { InstallError } from './install-error.js';

/** `format` of a signature document: says what the file is. */
export const SIGNATURE_FORMAT = 'tether-signature';
/** `version` of the signature format this host reads and writes. */
export const SIGNATURE_FORMAT_VERSION = 1;
/** `algorithm` of format version 1: Ed25519 (RFC 8032), the only one. */
export const SIGNATURE_ALGORITHM = 'ed25519';
/**
 * First line of the signed payload: the format and its version. A signature made over another layout (a
 * later version, another program's) never verifies as this one, so nobody can downgrade a signature to a
 * weaker format.
 */
export const SIGNED_PAYLOAD_HEADER = `${SIGNATURE_FORMAT}-v${SIGNATURE_FORMAT_VERSION}`;

/** Bytes of an Ed25519 signature. */
const ED25519_SIGNATURE_BYTES = 64;
/** Bytes of a SHA-512 digest. */
const SHA512_BYTES = 64;
/** Longest package name (npm's limit) and version accepted in a signature. */
const MAX_NAME_CHARS = 214;
const MAX_VERSION_CHARS = 256;
/** C0 control characters (line feed among them) and DEL: never in a signed field, so the lines cannot shift. */
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** What a signature binds together (everything but the signature itself). */
export interface SignedFields {
  /** The publisher key's id ({@link keyIdOf}). */
  readonly keyId: string;
  /** The package's name and version, as its archive's package.json gives them. */
  readonly name: string;
  readonly version: string;
  /** SHA-512 of the whole archive file, base64. */
  readonly sha512: string;
}

/** A signature document as it is stored in `<archive>.sig` (JSON). */
export interface PackageSignatureDocument {
  readonly format: typeof SIGNATURE_FORMAT;
  readonly version: typeof SIGNATURE_FORMAT_VERSION;
  readonly algorithm: typeof SIGNATURE_ALGORITHM;
  readonly keyId: string;
  readonly package: { readonly name: string; readonly version: string };
  readonly sha512: string;
  /** Ed25519 signature over {@link signedPayload} of the fields above, base64. */
  readonly signature: string;
}

const documentKeys = ['format', 'version', 'algorithm', 'keyId', 'package', 'sha512', 'signature'];
const packageKeys = ['name', 'version'];

/**
 * The bytes that are signed: UTF-8 text of five lines, each ended by a line feed (LF, 0x0A):
 *
 * ```text
 * tether-signature-v1
 * <package name>
 * <package version>
 * <key id>
 * <SHA-512 of the archive, base64>
 * ```
 *
 * A fixed layout, not `JSON.stringify` of an object (whose key order and escaping a reimplementation could
 * get differently). No field may contain a control character, so the lines cannot shift: two different
 * sets of fields never give the same bytes.
 */
export function signedPayload(fields: SignedFields): Buffer {
  const problem = signedFieldsProblem(fields);
  if (problem !== undefined) throw new Error(`Cannot make a signed payload: ${problem}.`);
  const lines = [SIGNED_PAYLOAD_HEADER, fields.name, fields.version, fields.keyId, fields.sha512];
  return Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
}

/** Why `fields` cannot be signed (a field empty, too long, with a control character, malformed), if so. */
export function signedFieldsProblem(fields: SignedFields): string | undefined {
  return (
    textProblem('the package name', fields.name, MAX_NAME_CHARS) ??
    textProblem('the package version', fields.version, MAX_VERSION_CHARS) ??
    (isKeyId(fields.keyId) ? undefined : `the key id ${JSON.stringify(fields.keyId)} is malformed`) ??
    (decodesTo(fields.sha512, SHA512_BYTES) ? undefined : 'the SHA-512 is not the base64 of 64 bytes')
  );
}

/** The signature document of `fields` signed with `signature` (the Ed25519 signature bytes). */
export function signatureDocument(fields: SignedFields, signature: Uint8Array): PackageSignatureDocument {
  return {
    format: SIGNATURE_FORMAT,
    version: SIGNATURE_FORMAT_VERSION,
    algorithm: SIGNATURE_ALGORITHM,
    keyId: fields.keyId,
    package: { name: fields.name, version: fields.version },
    sha512: fields.sha512,
    signature: Buffer.from(signature).toString('base64'),
  };
}

/** The text of a signature file: the document as indented JSON and a final newline. */
export function formatSignatureDocument(document: PackageSignatureDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Parses and checks the text of a signature file: JSON, the right format, version and algorithm, every
 * field present and well-formed, no other field (a field the signature does not cover must not be able to
 * carry meaning), a signature of exactly 64 bytes.
 * @throws InstallError BAD_SIGNATURE saying what is wrong; `source` names the file.
 */
export function parseSignatureDocument(text: string, source: string): PackageSignatureDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    bad(source, `it is not JSON (${error instanceof Error ? error.message : String(error)})`, error);
  }
  if (!isRecord(json)) bad(source, 'it is not a JSON object');
  if (json['format'] !== SIGNATURE_FORMAT) {
    bad(source, `it is not a Tether package signature ("format" is not "${SIGNATURE_FORMAT}")`);
  }
  if (json['version'] !== SIGNATURE_FORMAT_VERSION) {
    bad(
      source,
      `its format version is ${JSON.stringify(json['version'])}, and this Tether reads version ${SIGNATURE_FORMAT_VERSION} only; update Tether, or ask the publisher for a version ${SIGNATURE_FORMAT_VERSION} signature`,
    );
  }
  if (json['algorithm'] !== SIGNATURE_ALGORITHM) {
    bad(
      source,
      `its algorithm is ${JSON.stringify(json['algorithm'])}; only "${SIGNATURE_ALGORITHM}" is accepted`,
    );
  }
  const extra = Object.keys(json).find((key) => !documentKeys.includes(key));
  if (extra !== undefined) bad(source, `it has a field "${extra}" that the format does not define`);
  const { keyId, sha512, signature } = json;
  const identity = json['package'];
  if (!isRecord(identity)) bad(source, '"package" is not an object with the name and version');
  const extraInPackage = Object.keys(identity).find((key) => !packageKeys.includes(key));
  if (extraInPackage !== undefined) {
    bad(source, `"package" has a field "${extraInPackage}" that the format does not define`);
  }
  const { name, version } = identity;
  if (typeof keyId !== 'string' || typeof name !== 'string' || typeof version !== 'string') {
    bad(source, '"keyId", "package.name" and "package.version" must be strings');
  }
  if (typeof sha512 !== 'string' || typeof signature !== 'string') {
    bad(source, '"sha512" and "signature" must be base64 strings');
  }
  const problem = signedFieldsProblem({ keyId, name, version, sha512 });
  if (problem !== undefined) bad(source, problem);
  if (!decodesTo(signature, ED25519_SIGNATURE_BYTES)) {
    bad(
      source,
      `"signature" is not the base64 of ${ED25519_SIGNATURE_BYTES} bytes (an Ed25519 signature); it is truncated or damaged`,
    );
  }
  return {
    format: SIGNATURE_FORMAT,
    version: SIGNATURE_FORMAT_VERSION,
    algorithm: SIGNATURE_ALGORITHM,
    keyId,
    package: { name, version },
    sha512,
    signature,
  };
}

/** The fields a document's signature covers. */
export function signedFieldsOf(document: PackageSignatureDocument): SignedFields {
  return {
    keyId: document.keyId,
    name: document.package.name,
    version: document.package.version,
    sha512: document.sha512,
  };
}

function textProblem(what: string, value: string, maxChars: number): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  if (value.length > maxChars) return `${what} is longer than ${maxChars} characters`;
  if (controlCharacter.test(value)) return `${what} contains a control character`;
  return undefined;
}

/** True when `text` is canonical base64 (padded, no whitespace) of exactly `bytes` bytes. */
function decodesTo(text: string, bytes: number): boolean {
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(source: string, problem: string, cause?: unknown): never {
  throw new InstallError(
    'BAD_SIGNATURE',
    `The signature ${source} is not valid: ${problem}. Do not install this package; get the package and its signature again from the publisher.`,
    cause === undefined ? undefined : { cause },
  );
}
