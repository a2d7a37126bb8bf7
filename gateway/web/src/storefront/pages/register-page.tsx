import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useSession } from '../../api/session';
import { fieldError, ProblemMessage } from '../../ui/problem-message';
import { TextField } from '../../ui/text-field';
import { useSubmission } from '../../ui/use-submission';
import { useDocumentTitle } from '../layout/use-document-title';
import { safeNextPath } from '../session/next-path';

/** Create an account (logged in at once), then go on to `?next=`. */
export function RegisterPage() {
  useDocumentTitle('Create an account');
  const { register } = useSession();
  const [, navigate] = useLocation();
  const next = safeNextPath(new URLSearchParams(useSearch()).get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, failure, run } = useSubmission();

  const submit = () =>
    run(async () => {
      await register(name.trim(), email.trim(), password);
      navigate(next, { replace: true });
    });

  const loginHref = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
  return (
    <section className="auth card" aria-labelledby="register-heading">
      <h1 id="register-heading">Create an account</h1>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <ProblemMessage failure={failure} shownByFields={['name', 'email', 'password']} />
        <TextField
          label="Name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldError(failure, 'name')}
        />
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
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint="At least 8 characters."
          error={fieldError(failure, 'password')}
        />
        <button type="submit" className="button--primary" disabled={busy}>
          Create account
        </button>
      </form>
      <p className="small">
        Already registered? <Link href={loginHref}>Use your existing account</Link>
      </p>
    </section>
  );
}
