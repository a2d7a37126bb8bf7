import { useSession } from '../api/session';
import { Dashboard } from './dashboard';
import { LoginForm } from '../ui/login-form';
import './console.css';

export function Console() {
  const sessions = useSession();
  const { session } = sessions;
  const logout = () => sessions.logout();
  const isAdmin = session?.user.role === 'admin';
  return (
    <div className="console">
      <header className="console-header">
        <h1>Operations</h1>
        {session && (
          <div className="console-user">
            <span>
              {session.user.name} <span className="muted">({session.user.email})</span>
            </span>
            <button type="button" onClick={logout}>
              Log out
            </button>
          </div>
        )}
      </header>
      <main>
        {!session ? (
          <LoginForm title="Log in as an administrator" headingLevel={2} />
        ) : !isAdmin ? (
          <div className="not-admin" role="alert">
            <p>
              You are logged in as {session.user.email}, who is not an administrator. The operations
              console needs an admin account.
            </p>
            <button type="button" onClick={logout}>
              Log out and use another account
            </button>
          </div>
        ) : (
          <Dashboard key={session.token} token={session.token} />
        )}
      </main>
    </div>
  );
}
