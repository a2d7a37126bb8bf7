import { useCallback } from 'react';
import { api } from '../api/client';
import { ApiProblem } from '../api/problem';
import { useSession } from '../api/session';

/**
 * GET an admin endpoint with the session's token. A 401 means the token expired or was revoked:
 * the session is logged out (the console then shows the login form).
 */
export function useAdminGet(): <T>(path: string, signal?: AbortSignal) => Promise<T> {
  const sessions = useSession();
  const token = sessions.session?.token;
  return useCallback(
    async <T>(path: string, signal?: AbortSignal): Promise<T> => {
      try {
        return await api<T>(path, { token, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 401) sessions.logout();
        throw error;
      }
    },
    [token, sessions],
  );
}
