import type { Cart } from '@shop/contracts';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { useSession } from '../../api/session';
import { useAuthedApi } from '../session/use-authed-api';

export interface CartApi {
  /** The server's cart; undefined while logged out or before the first read. */
  cart: Cart | undefined;
  /** The failure of the last read, if it failed. */
  failure: unknown;
  /** Units in the cart, for the header's "Cart (N)". */
  count: number;
  /** Re-reads the cart (after placing an order, say). */
  refresh: () => Promise<void>;
  /** Keeps the cart a write answered with. */
  replace: (cart: Cart | undefined) => void;
}

const CartContext = createContext<CartApi | undefined>(undefined);

/** The cart lives in the cart service; this keeps the last copy read so the header can count it. */
export function CartProvider({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const call = useAuthedApi();
  const [cart, setCart] = useState<Cart | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const loggedIn = session !== undefined;

  const refresh = useCallback(async () => {
    try {
      setCart(await call<Cart>('/api/cart'));
      setFailure(undefined);
    } catch (error) {
      setFailure(error);
    }
  }, [call]);

  useEffect(() => {
    setCart(undefined);
    setFailure(undefined);
    if (loggedIn) void refresh();
  }, [loggedIn, refresh]);

  const value = useMemo<CartApi>(
    () => ({
      cart,
      failure,
      count: cart?.items.reduce((sum, item) => sum + item.quantity, 0) ?? 0,
      refresh,
      replace: setCart,
    }),
    [cart, failure, refresh],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartApi {
  const value = useContext(CartContext);
  if (!value) throw new Error('useCart outside CartProvider');
  return value;
}
