import { useState, type ReactNode } from 'react';
import { useSession } from '../api/session';
import { fieldError, ProblemMessage } from './problem-message';
import { TextField } from './text-field';
import { useSubmission } from './use-submission';

/** Email and password, logged in through `useSession`; the storefront's and the console's. */
export function LoginForm({
  title,
  headingLevel = 1,
  onLoggedIn,
  children,
}: {
  title: string;
  /** 2 where the page has its own h1. */
  headingLevel?: 1 | 2;
  onLoggedIn?: () => void;
  /** Below the form: a link to register, say. */
  children?: ReactNode;
}) {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, failure, run } = useSubmission();

  const submit = () =>
    run(async () => {
      await login(email.trim(), password);
      onLoggedIn?.();
    });

  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section className="auth card" aria-labelledby="login-heading">
      <Heading id="login-heading">{title}</Heading>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <ProblemMessage failure={failure} shownByFields={['email', 'password']} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldError(failure, 'email')}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fieldError(failure, 'password')}
        />
        <button type="submit" className="button--primary" disabled={busy}>
          Log in
        </button>
      </form>
      {children}
    </section>
  );
}
