/**
 * Reads the kind and call id at the start of an RPC message without decoding the rest, so that a message
 * whose body cannot be decoded can still be answered (a CALL gets an ERROR, a RESULT rejects its call)
 * instead of tearing the connection down. Returns undefined when even the header is malformed.
 */
export function peekMessageHeader(bytes: Uint8Array): { kind: number; id: number } | undefined {
  let offset = 0;
  const first = bytes[offset++];
  if (first === undefined) return undefined;
  if (first >= 0x90 && first <= 0x9f) {
    // fixarray
  } else if (first === 0xdc) {
    offset += 2;
  } else if (first === 0xdd) {
    offset += 4;
  } else {
    return undefined;
  }
  const kind = bytes[offset++];
  if (kind === undefined || kind > 0x7f) return undefined;
  const id = readUint(bytes, offset);
  return id === undefined ? undefined : { kind, id };
}

function readUint(bytes: Uint8Array, offset: number): number | undefined {
  const tag = bytes[offset];
  if (tag === undefined) return undefined;
  if (tag <= 0x7f) return tag;
  const size = tag === 0xcc ? 1 : tag === 0xcd ? 2 : tag === 0xce ? 4 : 0;
  if (size === 0 || offset + 1 + size > bytes.length) return undefined;
  let value = 0;
  for (let i = 1; i <= size; i++) value = value * 256 + bytes[offset + i]!;
  return value;
}
