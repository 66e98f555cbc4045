// How an error from the host reads in the UI. Errors cross the wire with their `code` intact (house style 7);
// the code comes first so a user (and a test) can tell a refused signature from a broken package.

/** The error's `code` (a SCREAMING_SNAKE string), when it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** `CODE: message`, or the message alone. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  return code === undefined ? error.message : `${code}: ${error.message}`;
}
