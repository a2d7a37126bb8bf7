import { Link, useLocation, useSearch } from 'wouter';
import { LoginForm } from '../../ui/login-form';
import { useDocumentTitle } from '../layout/use-document-title';
import { safeNextPath } from '../session/next-path';

/** Log in, then go on to `?next=` (the page that asked for it). */
export function LoginPage() {
  useDocumentTitle('Log in');
  const [, navigate] = useLocation();
  const next = safeNextPath(new URLSearchParams(useSearch()).get('next'));
  const registerHref = next === '/' ? '/register' : `/register?next=${encodeURIComponent(next)}`;
  return (
    <LoginForm title="Log in" onLoggedIn={() => navigate(next, { replace: true })}>
      <p className="small">
        New here? <Link href={registerHref}>Create an account</Link>
      </p>
    </LoginForm>
  );
}
