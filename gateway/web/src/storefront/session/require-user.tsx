import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import { useSession } from '../../api/session';
import { currentPath, loginPathFor } from './next-path';

/** Renders its children for a logged-in customer; sends anyone else to log in first. */
export function RequireUser({ children }: { children: ReactNode }) {
  const { session } = useSession();
  if (!session) return <Redirect to={loginPathFor(currentPath())} replace />;
  return <>{children}</>;
}
