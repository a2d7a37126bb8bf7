import {
  addCartItemBodySchema,
  loginBodySchema,
  registerBodySchema,
  restockBodySchema,
  setCartItemQuantityBodySchema,
} from '@shop/contracts';

const productId = '9d2e1f3a-4b5c-4d6e-8f7a-1b2c3d4e5f6a';

describe('identity bodies', () => {
  const registration = { email: 'Ann@Example.com', password: 'correct horse', name: 'Ann' };

  test('when a registration is valid, then the email is lower-cased', () => {
    expect(registerBodySchema.parse(registration).email).toBe('ann@example.com');
  });

  test('when a registration carries an unknown field, then it is rejected', () => {
    const result = registerBodySchema.safeParse({ ...registration, role: 'admin' });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  test.each([
    ['a 7-character password', { password: '1234567' }],
    ['a 129-character password', { password: 'x'.repeat(129) }],
    ['an invalid email', { email: 'ann@' }],
    ['a blank name', { name: '   ' }],
  ])('when a registration has %s, then it is rejected', (_label, change) => {
    expect(registerBodySchema.safeParse({ ...registration, ...change }).success).toBe(false);
  });

  test('when a login carries an unknown field, then it is rejected', () => {
    const login = { email: 'ann@example.com', password: 'x', remember: true };

    expect(loginBodySchema.safeParse(login).success).toBe(false);
  });
});

describe('cart and inventory bodies', () => {
  test.each([1, 99])('when %i units are added, then the body is accepted', (quantity) => {
    expect(addCartItemBodySchema.safeParse({ productId, quantity }).success).toBe(true);
  });

  test.each([0, 100, 1.5, '2'])(
    'when %p units are added, then the body is rejected',
    (quantity) => {
      expect(addCartItemBodySchema.safeParse({ productId, quantity }).success).toBe(false);
    },
  );

  test('when the product id is not a UUID, then the body is rejected', () => {
    expect(addCartItemBodySchema.safeParse({ productId: '42', quantity: 1 }).success).toBe(false);
  });

  test('when a quantity is set to 0, then it is accepted (it removes the line)', () => {
    expect(setCartItemQuantityBodySchema.safeParse({ quantity: 0 }).success).toBe(true);
    expect(setCartItemQuantityBodySchema.safeParse({ quantity: 100 }).success).toBe(false);
  });

  test.each([
    [1, true],
    [100_000, true],
    [0, false],
    [100_001, false],
  ])('when restocking %i units, then acceptance is %p', (quantity, accepted) => {
    expect(restockBodySchema.safeParse({ quantity }).success).toBe(accepted);
  });
});
