import { hashPassword, needsRehash, verifyPassword } from '../src/domain/passwords';

describe('password hashing', () => {
  it('when a password is hashed, then the hash records scrypt, its parameters, a salt and a key', async () => {
    const hash = await hashPassword('correct horse battery staple');

    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(hash).not.toContain('correct horse');
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    const [first, second] = await Promise.all([
      hashPassword('s3cret-pass'),
      hashPassword('s3cret-pass'),
    ]);

    expect(first).not.toEqual(second);
  });

  it('when the right password is checked, then it verifies, and a wrong one does not', async () => {
    const hash = await hashPassword('s3cret-pass');

    await expect(verifyPassword('s3cret-pass', hash)).resolves.toBe(true);
    await expect(verifyPassword('s3cret-pasS', hash)).resolves.toBe(false);
  });

  it('when a hash was made with lower parameters, then it still verifies and needs a rehash', async () => {
    const old = await hashPassword('s3cret-pass', { N: 2 ** 14, r: 8, p: 1 });

    await expect(verifyPassword('s3cret-pass', old)).resolves.toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('s3cret-pass'))).toBe(false);
  });

  it('when the stored hash is not one this module wrote, then nothing verifies against it', async () => {
    for (const stored of ['', 's3cret-pass', 'bcrypt$2b$10$abc', 'scrypt$x$8$1$c2FsdA$a2V5']) {
      await expect(verifyPassword('s3cret-pass', stored)).resolves.toBe(false);
    }
  });
});
