import type { TokenResponse, User } from '@shop/contracts';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api } from './client';

export interface Session {
  token: string;
  user: User;
}

export interface SessionApi {
  session: Session | undefined;
  login: (email: string, password: string) => Promise<Session>;
  register: (name: string, email: string, password: string) => Promise<Session>;
  logout: () => void;
}

// Kept in localStorage so that a reload keeps the customer logged in (and their cart, which
// lives in the cart service). The token is short-lived; a 401 logs out.
const storageKey = 'shop.session';

function stored(): Session | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(stored);
  const keep = useCallback((answer: TokenResponse): Session => {
    const next = { token: answer.token, user: answer.user };
    localStorage.setItem(storageKey, JSON.stringify(next));
    setSession(next);
    return next;
  }, []);
  const value = useMemo<SessionApi>(
    () => ({
      session,
      login: async (email, password) =>
        keep(
          await api<TokenResponse>('/api/auth/login', {
            method: 'POST',
            body: { email, password },
          }),
        ),
      register: async (name, email, password) =>
        keep(
          await api<TokenResponse>('/api/auth/register', {
            method: 'POST',
            body: { name, email, password },
          }),
        ),
      logout: () => {
        localStorage.removeItem(storageKey);
        setSession(undefined);
      },
    }),
    [session, keep],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
