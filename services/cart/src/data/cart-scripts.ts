import { luaScript } from './redis';

// The cart is one JSON string per customer. Every change is a read-modify-write inside one Lua
// script, which Redis runs atomically: two requests for the same cart can never both read the
// old value and overwrite each other (no lost update), and no retry loop is needed.
// Each script answers { status, value }: 'ok' with the cart as stored, or what refused the change.
const helpers = `
local function load_cart(key)
  local raw = redis.call('GET', key)
  if not raw then return { lines = {} } end
  return cjson.decode(raw)
end

local function find_line(cart, product_id)
  for index, line in ipairs(cart.lines) do
    if line.productId == product_id then return index, line end
  end
  return nil, nil
end

local function save_cart(key, cart, now, ttl_ms)
  if #cart.lines == 0 then cart.currency = nil end
  cart.updatedAt = now
  local encoded = cjson.encode(cart)
  redis.call('SET', key, encoded, 'PX', ttl_ms)
  return encoded
end
`;

/** KEYS: cart. ARGV: productId, quantity, currency, maxLineQuantity, maxLines, now, ttlMs. */
export const addLine = luaScript(`${helpers}
local product_id, quantity, currency = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local max_quantity, max_lines = tonumber(ARGV[4]), tonumber(ARGV[5])
local cart = load_cart(KEYS[1])
if #cart.lines > 0 and cart.currency ~= currency then
  return { 'currency-mismatch', cart.currency }
end
local _, line = find_line(cart, product_id)
if line then
  if line.quantity + quantity > max_quantity then
    return { 'quantity-exceeded', tostring(line.quantity) }
  end
  line.quantity = line.quantity + quantity
else
  if #cart.lines >= max_lines then return { 'too-many-lines', tostring(#cart.lines) } end
  table.insert(cart.lines, { productId = product_id, quantity = quantity })
end
cart.currency = currency
return { 'ok', save_cart(KEYS[1], cart, ARGV[6], ARGV[7]) }
`);

/** KEYS: cart. ARGV: productId, quantity (0 removes the line), now, ttlMs. */
export const setLineQuantity = luaScript(`${helpers}
local product_id, quantity = ARGV[1], tonumber(ARGV[2])
local cart = load_cart(KEYS[1])
local index, line = find_line(cart, product_id)
if not line then return { 'not-in-cart', '' } end
if quantity == 0 then
  table.remove(cart.lines, index)
else
  line.quantity = quantity
end
return { 'ok', save_cart(KEYS[1], cart, ARGV[3], ARGV[4]) }
`);

/** KEYS: cart. ARGV: productId, now, ttlMs. Removing a line that is not there changes nothing. */
export const removeLine = luaScript(`${helpers}
local raw = redis.call('GET', KEYS[1])
if not raw then return { 'ok', '' } end
local cart = cjson.decode(raw)
local index = find_line(cart, ARGV[1])
if not index then return { 'ok', raw } end
table.remove(cart.lines, index)
return { 'ok', save_cart(KEYS[1], cart, ARGV[2], ARGV[3]) }
`);
