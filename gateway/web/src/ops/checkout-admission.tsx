import type { CheckoutAdmission, CheckoutGate, NewWorkGate } from '@shop/contracts';
import { perSecond } from './format';
import { Panel } from './panel';

export function CheckoutAdmissionPanel({
  admission,
  gate,
  newWork,
  loaded,
}: {
  admission: CheckoutAdmission | null | undefined;
  gate: CheckoutGate | undefined;
  /** The gateway's shedding of browsing and carts while its event loop is behind. */
  newWork: NewWorkGate | undefined;
  loaded: boolean;
}) {
  return (
    <Panel title="Checkout admission">
      {!loaded ? (
        <p className="muted">No health answer yet.</p>
      ) : !admission ? (
        <p className="muted">
          Not reported: the order service could not be asked, or it admits every checkout.
        </p>
      ) : (
        <>
          <div className="admission-meter">
            <label htmlFor="admission-meter">
              In flight: {admission.inFlight} / {admission.limit}
            </label>
            <meter
              id="admission-meter"
              min={0}
              max={admission.limit}
              low={admission.limit * 0.6}
              high={admission.limit * 0.9}
              optimum={0}
              value={Math.min(admission.inFlight, admission.limit)}
            >
              {admission.inFlight} of {admission.limit}
            </meter>
            {(admission.inFlight >= admission.limit || gate?.shedding) && (
              <p className="notice">Full: new checkouts are refused with 503.</p>
            )}
          </div>
          <dl className="stats">
            <div>
              <dt>In flight</dt>
              <dd>{admission.inFlight}</dd>
            </div>
            <div>
              <dt>Limit</dt>
              <dd>{admission.limit}</dd>
            </div>
            <div>
              <dt>Throughput</dt>
              <dd>{perSecond(admission.throughputPerSecond)} /s</dd>
            </div>
            <div>
              <dt>Shed by the order service</dt>
              <dd className={admission.shed > 0 ? 'warn' : undefined}>{admission.shed}</dd>
            </div>
            {gate && (
              <>
                <div>
                  <dt>Shed at the gateway</dt>
                  <dd className={gate.shed > 0 ? 'warn' : undefined}>{gate.shed}</dd>
                </div>
                <div>
                  <dt>Retry-After told</dt>
                  <dd>{gate.retryAfterSeconds} s</dd>
                </div>
              </>
            )}
            {newWork && (
              <>
                <div>
                  <dt>Gateway loop delay</dt>
                  <dd className={newWork.shedShare > 0 ? 'warn' : undefined}>
                    {newWork.delayMs} ms
                  </dd>
                </div>
                <div>
                  <dt>Browsing and carts shed</dt>
                  <dd className={newWork.shed > 0 ? 'warn' : undefined}>
                    {newWork.shed}
                    {newWork.shedShare > 0 && ` (now ${Math.round(newWork.shedShare * 100)} %)`}
                  </dd>
                </div>
              </>
            )}
          </dl>
        </>
      )}
    </Panel>
  );
}
