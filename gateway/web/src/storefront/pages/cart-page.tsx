import { useState } from 'react';
import { Link } from 'wouter';
import { Loading } from '../../ui/loading';
import { formatMoney } from '../../ui/money';
import { ProblemMessage } from '../../ui/problem-message';
import { useCart } from '../cart/cart-context';
import { CartLine } from '../cart/cart-line';
import { useDocumentTitle } from '../layout/use-document-title';

/** The customer's cart, kept by the cart service (so it survives a reload and other devices). */
export function CartPage() {
  useDocumentTitle('Your cart');
  const { cart, failure: readFailure, refresh, replace } = useCart();
  const [failure, setFailure] = useState<unknown>();

  return (
    <>
      <h1>Your cart</h1>
      <ProblemMessage failure={failure} />
      {!cart && readFailure !== undefined && (
        <div className="stack">
          <ProblemMessage failure={readFailure} />
          <button type="button" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}
      {!cart && readFailure === undefined && <Loading what="Loading your cart" />}
      {cart && cart.items.length === 0 && (
        <p className="message message--info">
          Your cart is empty. <Link href="/">Continue shopping</Link>
        </p>
      )}
      {cart && cart.items.length > 0 && (
        <div className="stack">
          <div className="table-wrap card cart-table">
            <table>
              <caption className="visually-hidden">Items in your cart</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" className="numeric">
                    Price
                  </th>
                  <th scope="col">Quantity</th>
                  <th scope="col" className="numeric">
                    Line total
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {cart.items.map((item) => (
                  <CartLine
                    key={item.productId}
                    item={item}
                    currency={cart.currency}
                    onCart={replace}
                    onFailure={setFailure}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <div className="cart-summary card">
            <p className="cart-summary__total">
              <span>Total</span>{' '}
              <strong data-testid="cart-total">
                {formatMoney(cart.subtotalCents, cart.currency)}
              </strong>
            </p>
            <p className="muted small">Prices are confirmed from the catalog when you order.</p>
            <Link href="/checkout" className="button button--primary">
              Checkout
            </Link>
          </div>
        </div>
      )}
    </>
  );
}
