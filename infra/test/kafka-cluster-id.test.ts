import { clusterId } from '../src/kafka';

test("when cluster ids are made, then each is 16 bytes of base64url and none starts with '-' (the storage tool would take it for an option)", () => {
  const ids = Array.from({ length: 5_000 }, () => clusterId());

  expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
  for (const id of ids) {
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
  expect(new Set(ids).size).toBe(ids.length);
});
