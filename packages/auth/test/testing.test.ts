import { createJwtVerifier } from '@shop/auth';
import { startTestIssuer } from '@shop/auth/testing';

test('when a service verifies a token of the test issuer against its JWKS URL, then it gets the user', async () => {
  const issuer = await startTestIssuer();
  try {
    const verifier = createJwtVerifier({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      audience: issuer.audience,
    });
    const id = crypto.randomUUID();

    const user = await verifier.verify(await issuer.tokenFor('admin', id));

    expect(user).toMatchObject({ id, role: 'admin' });
  } finally {
    await issuer.close();
  }
});
