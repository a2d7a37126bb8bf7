import type { ReactNode } from 'react';
import { Route, Switch } from 'wouter';
import './storefront.css';
import { CartProvider } from './cart/cart-context';
import { SiteHeader } from './layout/site-header';
import { CartPage } from './pages/cart-page';
import { CheckoutPage } from './pages/checkout-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { NotificationsPage } from './pages/notifications-page';
import { OrderPage } from './pages/order-page';
import { OrdersPage } from './pages/orders-page';
import { ProductListPage } from './pages/product-list-page';
import { ProductPage } from './pages/product-page';
import { RegisterPage } from './pages/register-page';
import { RequireUser } from './session/require-user';

function ForUser({ children }: { children: ReactNode }) {
  return <RequireUser>{children}</RequireUser>;
}

/** The customer's shop: the routes the gateway serves this page for. */
export function Storefront() {
  return (
    <CartProvider>
      <SiteHeader />
      <main id="main" className="container" tabIndex={-1}>
        <Switch>
          <Route path="/">
            <ProductListPage />
          </Route>
          <Route path="/products/:id">
            {(params) => <ProductPage key={params.id} id={params.id} />}
          </Route>
          <Route path="/login">
            <LoginPage />
          </Route>
          <Route path="/register">
            <RegisterPage />
          </Route>
          <Route path="/cart">
            <ForUser>
              <CartPage />
            </ForUser>
          </Route>
          <Route path="/checkout">
            <ForUser>
              <CheckoutPage />
            </ForUser>
          </Route>
          <Route path="/orders">
            <ForUser>
              <OrdersPage />
            </ForUser>
          </Route>
          <Route path="/orders/:id">
            {(params) => (
              <ForUser>
                <OrderPage key={params.id} id={params.id} />
              </ForUser>
            )}
          </Route>
          <Route path="/notifications">
            <ForUser>
              <NotificationsPage />
            </ForUser>
          </Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </main>
    </CartProvider>
  );
}
