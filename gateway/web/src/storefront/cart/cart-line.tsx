import type { Cart, CartItem } from '@shop/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { formatMoney } from '../../ui/money';
import { useAuthedApi } from '../session/use-authed-api';

const quantityDebounceMs = 500;
const maxLineQuantity = 99;

/**
 * One line of the cart: its quantity (saved a moment after typing stops, or on leaving the field)
 * and a "Remove" button. Each write answers with the whole cart, which replaces the page's copy.
 */
export function CartLine({
  item,
  currency,
  onCart,
  onFailure,
}: {
  item: CartItem;
  currency: string;
  onCart: (cart: Cart) => void;
  onFailure: (failure: unknown) => void;
}) {
  const call = useAuthedApi();
  const [quantity, setQuantity] = useState(String(item.quantity));
  const [saving, setSaving] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inputId = useId();

  useEffect(() => setQuantity(String(item.quantity)), [item.quantity]);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function save(text: string) {
    clearTimeout(timer.current);
    const count = Number(text);
    if (text.trim() === '' || !Number.isInteger(count) || count < 0 || count > maxLineQuantity)
      return;
    if (count === item.quantity) return;
    setSaving(true);
    try {
      onCart(
        await call<Cart>(`/api/cart/items/${item.productId}`, {
          method: 'PUT',
          body: { quantity: count },
        }),
      );
      onFailure(undefined);
    } catch (failure) {
      onFailure(failure);
      setQuantity(String(item.quantity));
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setSaving(true);
    try {
      onCart(await call<Cart>(`/api/cart/items/${item.productId}`, { method: 'DELETE' }));
      onFailure(undefined);
    } catch (failure) {
      onFailure(failure);
      setSaving(false);
    }
  }

  return (
    <tr>
      <th scope="row">
        <Link href={`/products/${item.productId}`}>{item.name}</Link>
        <div className="muted small">
          <code>{item.sku}</code>
        </div>
      </th>
      <td className="numeric" data-label="Price">
        {formatMoney(item.unitPriceCents, currency)}
      </td>
      <td data-label="Quantity">
        <label htmlFor={inputId} className="visually-hidden">
          Quantity of {item.name}
        </label>
        <input
          id={inputId}
          className="quantity-input"
          type="number"
          inputMode="numeric"
          min={0}
          max={maxLineQuantity}
          step={1}
          value={quantity}
          onChange={(event) => {
            const text = event.target.value;
            setQuantity(text);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => void save(text), quantityDebounceMs);
          }}
          onBlur={(event) => void save(event.target.value)}
        />
      </td>
      <td className="numeric" data-label="Line total">
        {formatMoney(item.lineTotalCents, currency)}
      </td>
      <td>
        <button
          type="button"
          className="button--danger"
          disabled={saving}
          onClick={() => void remove()}
          aria-label={`Remove ${item.name}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
