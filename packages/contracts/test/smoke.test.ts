import { placeholder } from '@shop/contracts';
test('when imported by name, then the package resolves', () => {
  expect(placeholder).toBe(1);
});
