import type { ConsumerLag } from '@shop/contracts';
import { Panel } from './panel';

export function ConsumerLagTable({
  lag,
  loaded,
}: {
  /** null: the gateway could not ask Kafka. */
  lag: ConsumerLag[] | null | undefined;
  loaded: boolean;
}) {
  const rows = [...(lag ?? [])].sort(
    (a, b) => a.groupId.localeCompare(b.groupId) || a.topic.localeCompare(b.topic),
  );
  const behind = rows.filter((row) => row.lag > 0).length;
  return (
    <Panel title="Consumer lag">
      {!loaded ? (
        <p className="muted">No health answer yet.</p>
      ) : lag === null || lag === undefined ? (
        <p className="notice">Kafka could not be asked for consumer lag.</p>
      ) : rows.length === 0 ? (
        <p className="muted">No consumer group has committed offsets yet.</p>
      ) : (
        <>
          <p className="muted">
            {behind === 0
              ? 'Every consumer group is caught up.'
              : `${behind} of ${rows.length} group/topic pairs are behind.`}
          </p>
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Topic</th>
                  <th scope="col" className="number">
                    Lag
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={`${row.groupId}/${row.topic}`}
                    className={row.lag > 0 ? 'row--behind' : undefined}
                    data-lag={row.lag}
                  >
                    <td>{row.groupId}</td>
                    <td>{row.topic}</td>
                    <td className="number">
                      {row.lag > 0 ? (
                        <strong>
                          {row.lag} <span className="visually-hidden">messages behind</span>
                        </strong>
                      ) : (
                        row.lag
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
