import type { DeadLetterCounts, DeadLetterList, DeadLetterView } from '@shop/contracts';
import { useCallback, useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../api/session';
import { describeError } from './describe-error';
import { Panel } from './panel';
import { useAdminGet } from './use-admin-api';

/**
 * Dead letters per topic (polled with the rest); a topic opens to its letters — why each failed,
 * where, and its original bytes — and each can be put back on its topic. The consumer's inbox
 * ignores a replay of what it already applied; a message that still fails comes back here.
 */
export function DeadLettersPanel({
  counts,
  error,
}: {
  counts: DeadLetterCounts | undefined;
  error: string | undefined;
}) {
  const get = useAdminGet();
  const [open, setOpen] = useState<DeadLetterList | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const show = useCallback(
    async (topic: string) => {
      setFailure(undefined);
      try {
        setOpen(await get<DeadLetterList>(`/api/system/dead-letters/${topic}`));
      } catch (caught) {
        setFailure(describeError(caught));
      }
    },
    [get],
  );

  return (
    <Panel title="Dead letters">
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {!counts ? (
        <p className="muted">No dead-letter counts yet.</p>
      ) : (
        <table className="data data--compact">
          <caption className="visually-hidden">Messages per dead-letter topic</caption>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="number">
                Letters
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {counts.topics.map(({ topic, count }) => (
              <tr
                key={topic}
                data-dlq={topic}
                data-count={count}
                className={count > 0 ? 'row--alert' : 'row--zero'}
              >
                <th scope="row">{topic}</th>
                <td className="number">{count}</td>
                <td>
                  {count > 0 && (
                    <button
                      type="button"
                      onClick={() => void show(topic)}
                      aria-label={`Show ${topic}`}
                    >
                      Show
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failure && (
        <p className="banner banner--error" role="alert">
          {failure}
        </p>
      )}
      {open && <LetterList list={open} onReplayed={() => void show(open.topic)} />}
    </Panel>
  );
}

function LetterList({ list, onReplayed }: { list: DeadLetterList; onReplayed: () => void }) {
  return (
    <div className="dead-letters" aria-label={`Dead letters of ${list.topic}`} role="group">
      <h3>
        {list.topic}: {list.total} {list.total === 1 ? 'letter' : 'letters'}
        {list.total > list.items.length && ` (the first ${list.items.length})`}
      </h3>
      <ol>
        {list.items.map((letter) => (
          <li key={`${letter.partition}:${letter.offset}`}>
            <Letter letter={letter} onReplayed={onReplayed} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function Letter({ letter, onReplayed }: { letter: DeadLetterView; onReplayed: () => void }) {
  const { session } = useSession();
  const [state, setState] = useState<
    { phase: 'idle' | 'replaying' | 'replayed' } | { phase: 'failed'; why: string }
  >({ phase: 'idle' });
  const position = `${letter.partition}:${letter.offset}`;

  async function replay() {
    setState({ phase: 'replaying' });
    try {
      await api(
        `/api/system/dead-letters/${letter.topic}/${letter.partition}/${letter.offset}/replay`,
        {
          method: 'POST',
          token: session?.token,
        },
      );
      setState({ phase: 'replayed' });
      onReplayed();
    } catch (caught) {
      setState({ phase: 'failed', why: describeError(caught) });
    }
  }

  return (
    <article className="dead-letter" aria-label={`Dead letter ${position}`}>
      <p>
        <strong>{letter.reason}</strong> in <code>{letter.consumer}</code> after {letter.attempts}{' '}
        {letter.attempts === 1 ? 'attempt' : 'attempts'}
        {letter.failedAt && <> at {new Date(letter.failedAt).toLocaleTimeString()}</>} · from{' '}
        <code>{letter.originalTopic}</code> · {position}
      </p>
      <p className="dead-letter__error">{letter.error}</p>
      <details>
        <summary>The message as it arrived</summary>
        <pre>{letter.value ?? '(no value)'}</pre>
      </details>
      <div className="row">
        <button type="button" onClick={() => void replay()} disabled={state.phase === 'replaying'}>
          Replay {position}
        </button>
        <span role="status" className="small">
          {state.phase === 'replayed'
            ? 'Put back on its topic.'
            : state.phase === 'failed'
              ? state.why
              : ''}
        </span>
      </div>
    </article>
  );
}
