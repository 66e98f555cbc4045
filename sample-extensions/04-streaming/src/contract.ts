// The contract, declared once and imported by both sides. Byte streams are ordinary arguments and results:
// each crosses on its own channel of the plugin's connection, with credit-based backpressure.
import { defineService } from '@tether/sdk';

export interface Digest {
  /** SHA-256 of the bytes, lowercase hex. */
  readonly sha256: string;
  /** How many bytes there were. */
  readonly bytes: number;
}

export interface Files {
  /** Reads `source` to its end and returns its SHA-256 and length. */
  digest(source: AsyncIterable<Uint8Array>): Promise<Digest>;
  /** Gzips `source`; the result streams back while `source` is still being read. */
  gzip(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}

export const files = defineService<Files>()('files', { methods: { digest: {}, gzip: {} } });

/** The app's magic cookie: not a secret, just "an app that uses Tether started you". */
export const handshake = { cookieKey: 'TETHER_SAMPLES', cookieValue: 'hello-from-the-samples' };
