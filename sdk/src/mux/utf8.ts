const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8; invalid sequences become U+FFFD (labels and reasons are informational). */
export function utf8Decode(bytes: Uint8Array): string {
  return bytes.byteLength === 0 ? '' : decoder.decode(bytes);
}

/** UTF-8 bytes of `text`, cut to at most `maxBytes` without splitting a character. */
export function utf8EncodeTruncated(text: string, maxBytes: number): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.byteLength <= maxBytes) return bytes;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}
