import { decideReservation, mergeLines } from '../src/domain/reservation-rules';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';

describe('mergeLines', () => {
  test('when an order names a product twice, then it asks for the sum, in product id order', () => {
    const merged = mergeLines([
      { productId: b, quantity: 1 },
      { productId: a.toUpperCase(), quantity: 2 },
      { productId: b, quantity: 3 },
    ]);

    expect(merged).toEqual([
      { productId: a, quantity: 2 },
      { productId: b, quantity: 4 },
    ]);
  });
});

describe('decideReservation', () => {
  test('when every line is covered, then all lines are reserved', () => {
    const lines = [{ productId: a, quantity: 2 }];

    const decision = decideReservation(lines, [{ productId: a, onHand: 5, reserved: 3 }]);

    expect(decision).toEqual({ kind: 'reserve', lines });
  });

  test('when some lines are short, then the order is refused listing each short line with what is available', () => {
    const decision = decideReservation(
      [
        { productId: a, quantity: 3 },
        { productId: b, quantity: 1 },
      ],
      [
        { productId: a, onHand: 5, reserved: 3 },
        { productId: b, onHand: 1, reserved: 0 },
      ],
    );

    expect(decision).toEqual({
      kind: 'refuse',
      failure: {
        reason: 'OUT_OF_STOCK',
        shortages: [{ productId: a, requested: 3, available: 2 }],
      },
    });
  });

  test('when a product is unknown, then the order is refused as UNKNOWN_PRODUCT', () => {
    const decision = decideReservation(
      [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 9 },
      ],
      [{ productId: a, onHand: 0, reserved: 0 }],
    );

    expect(decision).toEqual({
      kind: 'refuse',
      failure: {
        reason: 'UNKNOWN_PRODUCT',
        shortages: [{ productId: b, requested: 9, available: 0 }],
      },
    });
  });
});
