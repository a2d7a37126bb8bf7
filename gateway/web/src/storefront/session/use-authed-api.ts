import { useCallback } from 'react';
import { useLocation } from 'wouter';
import { api, type RequestOptions } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { useSession } from '../../api/session';
import { currentPath, loginPathFor } from './next-path';

export type AuthedApi = <T>(path: string, options?: Omit<RequestOptions, 'token'>) => Promise<T>;

/**
 * `api()` with the customer's token. A 401 means the token expired or was revoked: the session is
 * dropped and the customer sent to log in again, coming back here afterwards.
 */
export function useAuthedApi(): AuthedApi {
  const { session } = useSession();
  const handleUnauthorized = useUnauthorizedHandler();
  const token = session?.token;
  return useCallback(
    async <T>(path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> => {
      try {
        return await api<T>(path, { ...options, token });
      } catch (failure) {
        handleUnauthorized(failure);
        throw failure;
      }
    },
    [token, handleUnauthorized],
  );
}

/** Logs out and goes to /login?next=… when `failure` is a 401; returns whether it was. */
export function useUnauthorizedHandler(): (failure: unknown) => boolean {
  const { logout } = useSession();
  const [, navigate] = useLocation();
  return useCallback(
    (failure: unknown) => {
      if (!(failure instanceof ApiProblem) || failure.status !== 401) return false;
      const back = currentPath();
      logout();
      navigate(loginPathFor(back), { replace: true });
      return true;
    },
    [logout, navigate],
  );
}
