import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../../api/session';
import { Loading } from '../../ui/loading';
import { formatMoney } from '../../ui/money';
import { ProblemMessage } from '../../ui/problem-message';
import { useCart } from '../cart/cart-context';
import {
  AddressFields,
  addressFieldPaths,
  shippingAddressOf,
  type AddressDraft,
} from '../checkout/address-fields';
import { TestCardChoice } from '../checkout/test-card-choice';
import type { TestCardToken } from '../checkout/test-cards';
import { useIdempotentCheckout } from '../checkout/use-idempotent-checkout';
import { useDocumentTitle } from '../layout/use-document-title';

/** Shipping address and test card, then "Place order" (202 → the order's live page). */
export function CheckoutPage() {
  useDocumentTitle('Checkout');
  const { session } = useSession();
  const { cart, failure: cartFailure, refresh } = useCart();
  const [, navigate] = useLocation();
  const checkout = useIdempotentCheckout();
  const [address, setAddress] = useState<AddressDraft>({
    name: session?.user.name ?? '',
    line1: '',
    line2: '',
    city: '',
    postalCode: '',
    country: 'DE',
  });
  const [card, setCard] = useState<TestCardToken>('tok_visa');

  async function submit() {
    const order = await checkout.placeOrder({
      shippingAddress: shippingAddressOf(address),
      paymentToken: card,
    });
    if (!order) return;
    void refresh();
    navigate(`/orders/${order.id}`);
  }

  if (!cart) {
    return (
      <>
        <h1>Checkout</h1>
        {cartFailure !== undefined ? (
          <ProblemMessage failure={cartFailure} />
        ) : (
          <Loading what="Loading your cart" />
        )}
      </>
    );
  }
  if (cart.items.length === 0) {
    return (
      <>
        <h1>Checkout</h1>
        <p className="message message--info">
          Your cart is empty. <Link href="/">Continue shopping</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>Checkout</h1>
      <div className="split">
        <form
          className="stack"
          noValidate
          aria-busy={checkout.submitting}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <AddressFields value={address} onChange={setAddress} failure={checkout.failure} />
          <TestCardChoice value={card} onChange={setCard} failure={checkout.failure} />
          <ProblemMessage
            failure={checkout.failure}
            shownByFields={[...addressFieldPaths, 'paymentToken']}
          />
          {checkout.canRetrySameAttempt && (
            <p className="message message--info">
              Your order has not been placed yet. Trying again is safe: it will not order twice.
            </p>
          )}
          <button type="submit" className="button--primary" disabled={checkout.submitting}>
            Place order
          </button>
          {checkout.submitting && (
            <p className="muted small" aria-live="polite">
              {checkout.retrying ? 'Trying again…' : 'Placing your order…'}
            </p>
          )}
        </form>
        <aside className="card order-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Order summary</h2>
          <ul className="summary-lines">
            {cart.items.map((item) => (
              <li key={item.productId}>
                <span>
                  {item.quantity} × {item.name}
                </span>
                <span className="numeric">{formatMoney(item.lineTotalCents, cart.currency)}</span>
              </li>
            ))}
          </ul>
          <p className="summary-total">
            <span>Total</span> <strong>{formatMoney(cart.subtotalCents, cart.currency)}</strong>
          </p>
          <p className="muted small">
            <Link href="/cart">Edit items</Link>
          </p>
        </aside>
      </div>
    </>
  );
}
