import { ApiProblem } from '../api/problem';

/** What went wrong, in words, for any rejection of `api()` (a problem or a network failure). */
export function describeFailure(failure: unknown): string {
  if (failure instanceof ApiProblem) return failure.explanation;
  if (failure instanceof TypeError)
    return 'The shop could not be reached. Check your connection and try again.';
  if (failure instanceof Error) return failure.message;
  return 'Something went wrong.';
}

/** True when the same request may simply be sent again: no answer, overload, or rate limit. */
export function isRetryable(failure: unknown): boolean {
  if (failure instanceof ApiProblem) return failure.status === 429 || failure.status === 503;
  return failure instanceof TypeError;
}

/** The message the API gave for one field (`errors[].path`), if any. */
export function fieldError(failure: unknown, path: string): string | undefined {
  if (!(failure instanceof ApiProblem)) return undefined;
  const messages = failure.errors.filter((error) => error.path === path).map((e) => e.message);
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/**
 * A failure shown as an alert; renders nothing without one. Field errors are listed too, except
 * those whose path is in `shownByFields` (the form shows them next to their field).
 */
export function ProblemMessage({
  failure,
  shownByFields = [],
}: {
  failure: unknown;
  shownByFields?: readonly string[];
}) {
  if (failure === undefined || failure === null) return null;
  const unlisted =
    failure instanceof ApiProblem
      ? failure.errors.filter((error) => !shownByFields.includes(error.path))
      : [];
  return (
    <div className="message message--error" role="alert">
      <p>{describeFailure(failure)}</p>
      {unlisted.length > 0 && (
        <ul className="message__list">
          {unlisted.map((error) => (
            <li key={`${error.path}:${error.message}`}>
              {error.path ? <code>{error.path}</code> : null} {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
