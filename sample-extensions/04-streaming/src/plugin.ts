// The plugin: hashes a byte stream as it arrives, and gzips one into a stream it hands back. Neither ever
// holds more than a few chunks: when it stops reading, the host's file stream is held back.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { implement, serve } from '@tether/sdk';
import { files, handshake } from './contract.js';

await serve({
  handshake,
  services: [
    implement(files, {
      async digest(source) {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.byteLength;
        }
        return { sha256: hash.digest('hex'), bytes };
      },
      gzip(source) {
        const gzip = createGzip();
        // An error on either side destroys the gzip stream, which fails the host's read with it.
        pipeline(source, gzip).catch(() => undefined);
        return gzip;
      },
    }),
  ],
});
