import { Panel } from './panel';

/** The section a later change will wire up; it shows no data until then. */
export function NotWiredYet() {
  return (
    <>
      <Panel title="Chaos" className="panel--placeholder">
        <p>
          <strong>Not wired yet.</strong> Controls to inject faults (slow or failing services) will
          be here once the chaos endpoints exist (another change adds them).
        </p>
      </Panel>
    </>
  );
}
