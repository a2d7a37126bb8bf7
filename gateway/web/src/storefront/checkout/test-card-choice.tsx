import { fieldError } from '../../ui/problem-message';
import { testCards, type TestCardToken } from './test-cards';

/** The "Test card" radio group: which simulated card pays. */
export function TestCardChoice({
  value,
  onChange,
  failure,
}: {
  value: TestCardToken;
  onChange: (token: TestCardToken) => void;
  failure: unknown;
}) {
  const error = fieldError(failure, 'paymentToken');
  return (
    <fieldset className="choices" aria-describedby={error ? 'test-card-error' : undefined}>
      <legend>Test card</legend>
      {testCards.map((card) => (
        <div key={card.token} className="choice">
          <input
            type="radio"
            id={`card-${card.token}`}
            name="paymentToken"
            value={card.token}
            checked={value === card.token}
            onChange={() => onChange(card.token)}
            aria-describedby={`card-${card.token}-effect`}
          />
          <label htmlFor={`card-${card.token}`}>{card.label}</label>
          <small id={`card-${card.token}-effect`} className="muted choice__effect">
            <code>{card.token}</code> · {card.effect}
          </small>
        </div>
      ))}
      {error && (
        <small id="test-card-error" className="field__error">
          {error}
        </small>
      )}
    </fieldset>
  );
}
