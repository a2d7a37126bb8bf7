import type { SystemHealth, UpstreamHealth } from '@shop/contracts';
import type { ReactNode } from 'react';
import { Panel } from './panel';
import { clockTime, milliseconds } from './format';
import {
  infraHealth,
  infraReporters,
  infrastructure,
  services,
  upstreamNamed,
  type Breaker,
  type NodeHealth,
} from './system-topology';

const systemTone = { up: 'ok', degraded: 'warn', down: 'bad' } as const;

const healthMark: Record<NodeHealth, string> = { up: '●', down: '✕', unknown: '?' };

/**
 * The gateway on top, the seven services it calls below it (each call edge coloured and labelled
 * by its circuit breaker's state), and the infrastructure the services reported on at the bottom.
 */
export function SystemMap({
  health,
  gatewayReachable,
}: {
  health: SystemHealth | undefined;
  /** false when the latest health poll failed. */
  gatewayReachable: boolean;
}) {
  const gateway: NodeHealth = !gatewayReachable ? 'down' : health ? 'up' : 'unknown';
  return (
    <Panel title="System map" className="panel--map">
      <p className="map-summary">
        {health ? (
          <>
            System{' '}
            <strong className={`badge badge--${systemTone[health.status]}`}>{health.status}</strong>
            , checked at {clockTime(health.checkedAt)}
            {!gatewayReachable && ' (the last answer; the gateway does not answer now)'}
          </>
        ) : gatewayReachable ? (
          'Waiting for the first answer…'
        ) : (
          'The gateway does not answer.'
        )}
      </p>
      <div className={`map ${gatewayReachable ? '' : 'map--stale'}`}>
        <div className="map-tier map-tier--gateway">
          <MapNode name="gateway" label="gateway" health={gateway}>
            <span className="node-state">{gateway}</span>
          </MapNode>
        </div>
        <ul className="map-tier map-tier--services" aria-label="Services">
          {services.map((name) => (
            <ServiceColumn key={name} name={name} upstream={upstreamNamed(health, name)} />
          ))}
        </ul>
        <div className="map-infra-heading" aria-hidden="true">
          infrastructure
        </div>
        <ul className="map-tier map-tier--infra" aria-label="Infrastructure">
          {infrastructure.map(({ name, label }) => {
            const state = infraHealth(health, name);
            const reporters = infraReporters(health, name);
            const down = reporters.filter((reporter) => reporter.status === 'down');
            return (
              <li key={name}>
                <MapNode name={name} label={label} health={state}>
                  <span className="node-state">{state}</span>
                  <span className="node-detail">
                    {reporters.length === 0
                      ? name === 'kafka' && state !== 'unknown'
                        ? 'consumer lag read by the gateway'
                        : 'no service reported it'
                      : down.length > 0
                        ? `down for ${down.map((reporter) => reporter.service).join(', ')}`
                        : `checked by ${reporters.map((reporter) => reporter.service).join(', ')}`}
                  </span>
                </MapNode>
              </li>
            );
          })}
        </ul>
      </div>
    </Panel>
  );
}

function MapNode({
  name,
  label,
  health,
  children,
}: {
  name: string;
  label: string;
  health: NodeHealth;
  children: ReactNode;
}) {
  return (
    <div
      role="group"
      className={`node node--${health}`}
      data-node={name}
      data-health={health}
      aria-label={`${name}: ${health}`}
    >
      <span className="node-name">
        <span className="node-mark" aria-hidden="true">
          {healthMark[health]}
        </span>{' '}
        {label}
      </span>
      {children}
    </div>
  );
}

function ServiceColumn({ name, upstream }: { name: string; upstream: UpstreamHealth | undefined }) {
  const health: NodeHealth = upstream?.status ?? 'unknown';
  const breaker: Breaker | undefined = upstream?.breaker;
  const checks = upstream?.checks ?? [];
  return (
    <li className="map-column">
      <div
        role="img"
        className={`edge edge--${breaker ?? 'unknown'}`}
        data-edge={name}
        data-breaker={breaker ?? 'unknown'}
        aria-label={`gateway to ${name}: breaker ${breaker ?? 'unknown'}`}
      >
        <span className="edge-line" aria-hidden="true" />
        <span className="edge-label" aria-hidden="true">
          {breaker ?? '?'}
        </span>
      </div>
      <MapNode name={name} label={name} health={health}>
        <span className="node-state">
          {health}
          {upstream?.latencyMs !== undefined && ` · ${milliseconds(upstream.latencyMs)}`}
        </span>
        {upstream?.detail && <span className="node-detail">{upstream.detail}</span>}
        {checks.length > 0 && (
          <ul className="node-checks" aria-label={`${name} checks`}>
            {checks.map((check) => (
              <li
                key={check.name}
                className={`check check--${check.status}`}
                title={check.detail ?? `${check.name} ${check.status}`}
              >
                {check.name} {check.status}
              </li>
            ))}
          </ul>
        )}
      </MapNode>
    </li>
  );
}
