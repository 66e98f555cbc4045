// What the RPC inspector is told about a call (`RpcPeerOptions.tracer`): shared by the calling side
// (rpc-peer.ts) and the answering side (call-answerer.ts).

/** The code of a failed call's error, else its message: what the RPC inspector shows. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return typeof error === 'string' ? error : 'rejected';
}

/** Size of an encoded message, one Uint8Array or parts. */
export function messageByteLength(bytes: Uint8Array | readonly Uint8Array[]): number {
  if (bytes instanceof Uint8Array) return bytes.byteLength;
  let size = 0;
  for (const part of bytes) size += part.byteLength;
  return size;
}
