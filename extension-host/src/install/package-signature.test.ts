import { describe, expect, it } from 'vitest';
import { InstallError } from './install-error.js';
import {
  SIGNED_PAYLOAD_HEADER,
  formatSignatureDocument,
  parseSignatureDocument,
  signatureDocument,
  signedFieldsOf,
  signedFieldsProblem,
  signedPayload,
  type SignedFields,
} from './package-signature.js';

const fields: SignedFields = {
  keyId: '0123456789abcdef0123456789abcdef',
  name: '@acme/kv',
  version: '1.2.0',
  sha512: Buffer.alloc(64, 7).toString('base64'),
};

describe('the signed payload', () => {
  it('is five LF-ended lines in a fixed order: header, name, version, key id, sha512', () => {
    expect(SIGNED_PAYLOAD_HEADER).toBe('tether-signature-v1');
    expect(signedPayload(fields).toString('utf8')).toBe(
      `tether-signature-v1\n@acme/kv\n1.2.0\n0123456789abcdef0123456789abcdef\n${fields.sha512}\n`,
    );
  });

  it('is UTF-8', () => {
    const payload = signedPayload({ ...fields, name: 'é' });
    expect(payload.subarray(20, 22)).toEqual(Buffer.from([0xc3, 0xa9]));
  });

  it.each([
    [{ name: 'a\nb' }, /package name contains a control character/],
    [{ version: '1.0.0\r' }, /package version contains a control character/],
    [{ name: '' }, /package name is empty/],
    [{ name: 'x'.repeat(215) }, /longer than 214/],
    [{ keyId: '0123456789ABCDEF0123456789ABCDEF' }, /key id .* is malformed/],
    [{ sha512: 'AAAA' }, /SHA-512 is not the base64 of 64 bytes/],
    [{ sha512: `${fields.sha512.slice(0, -2)}` }, /SHA-512/],
  ])('refuses fields that could shift the lines or are malformed: %j', (change, problem) => {
    const changed = { ...fields, ...change };
    expect(signedFieldsProblem(changed)).toMatch(problem);
    expect(() => signedPayload(changed)).toThrow(problem);
  });
});

describe('the signature document', () => {
  const signature = new Uint8Array(64).fill(9);

  it('round-trips through its text', () => {
    const document = signatureDocument(fields, signature);
    const text = formatSignatureDocument(document);
    expect(JSON.parse(text)).toEqual({
      format: 'tether-signature',
      version: 1,
      algorithm: 'ed25519',
      keyId: fields.keyId,
      package: { name: '@acme/kv', version: '1.2.0' },
      sha512: fields.sha512,
      signature: Buffer.from(signature).toString('base64'),
    });
    const parsed = parseSignatureDocument(text, 'x.sig');
    expect(parsed).toEqual(document);
    expect(signedFieldsOf(parsed)).toEqual(fields);
  });

  it('refuses a non-canonical base64 signature (whitespace inside), as BAD_SIGNATURE', () => {
    const document = signatureDocument(fields, signature);
    const text = JSON.stringify({ ...document, signature: ` ${document.signature}` });
    const error = (() => {
      try {
        parseSignatureDocument(text, 'x.sig');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InstallError);
    expect(error).toMatchObject({ code: 'BAD_SIGNATURE', message: expect.stringContaining('x.sig') });
  });

  it('refuses an extra field inside "package"', () => {
    const document = signatureDocument(fields, signature);
    const text = JSON.stringify({ ...document, package: { ...document.package, tag: 'latest' } });
    expect(() => parseSignatureDocument(text, 'x.sig')).toThrow(/"package" has a field "tag"/);
  });
});
