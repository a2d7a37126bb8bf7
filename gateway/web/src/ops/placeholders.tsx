import { Panel } from './panel';

/** Sections another change will wire up; they show no data until then. */
export function NotWiredYet() {
  return (
    <>
      <Panel title="Dead letters" className="panel--placeholder">
        <p>
          <strong>Not wired yet.</strong> Messages that could not be processed will be listed here,
          with a way to replay them, once the dead-letter endpoints exist (another change adds
          them).
        </p>
      </Panel>
      <Panel title="Chaos" className="panel--placeholder">
        <p>
          <strong>Not wired yet.</strong> Controls to inject faults (slow or failing services) will
          be here once the chaos endpoints exist (another change adds them).
        </p>
      </Panel>
    </>
  );
}
