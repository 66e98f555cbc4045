import { describe, expect, it } from 'vitest';
import { installFailureHeadline, packageFiles } from './use-install.js';

const file = (name: string): File => new File(['x'], name);

describe('packageFiles', () => {
  it('finds the package and its own signature among the files picked or dropped', () => {
    const picked = [file('other.tgz.sig'), file('kv-1.0.0.tgz'), file('kv-1.0.0.tgz.sig')];
    const { archive, signature } = packageFiles(picked);
    expect(archive?.name).toBe('kv-1.0.0.tgz');
    expect(signature?.name).toBe('kv-1.0.0.tgz.sig');
  });

  it('takes a lone .sig whatever its name, and none when there is no .sig', () => {
    expect(packageFiles([file('kv.tgz'), file('renamed.sig')]).signature?.name).toBe('renamed.sig');
    expect(packageFiles([file('kv.tgz')]).signature).toBeUndefined();
    expect(packageFiles([file('notes.txt')]).archive).toBeUndefined();
  });

  it('says a refused signature is one', () => {
    expect(installFailureHeadline('BAD_SIGNATURE')).toMatch(/signature was not accepted/);
    expect(installFailureHeadline('INSTALL_FAILED')).toBe('Install failed');
  });
});
