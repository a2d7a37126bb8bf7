import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../../api/session';
import { useCart } from '../cart/cart-context';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const current =
    href === '/' ? location === '/' || location.startsWith('/products') : location.startsWith(href);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The banner with the main navigation, the cart count and the session's button. */
export function SiteHeader() {
  const { session, logout } = useSession();
  const { count } = useCart();
  const [, navigate] = useLocation();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="container app-header__inner">
        <Link href="/" className="brand" aria-label="shop, home">
          shop
        </Link>
        <nav aria-label="Main" className="site-nav">
          <ul>
            <li>
              <NavLink href="/">Products</NavLink>
            </li>
            <li>
              <NavLink href="/cart">{session && count > 0 ? `Cart (${count})` : 'Cart'}</NavLink>
            </li>
            <li>
              <NavLink href="/orders">Orders</NavLink>
            </li>
            <li>
              <NavLink href="/notifications">Notifications</NavLink>
            </li>
            <li>
              {session ? (
                <span className="row">
                  <span className="user-name">{session.user.name}</span>
                  <button
                    type="button"
                    onClick={() => {
                      logout();
                      navigate('/');
                    }}
                  >
                    Log out
                  </button>
                </span>
              ) : (
                <NavLink href="/login">Log in</NavLink>
              )}
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}
