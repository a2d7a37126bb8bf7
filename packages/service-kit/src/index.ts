export * from './errors';
export {
  ConfigError,
  baseConfigSchema,
  envVar,
  loadConfig,
  type BaseConfig,
  type Env,
} from './config';
export { createLogger, logLevels, type LogLevel, type Logger, type LoggerOptions } from './logger';
export {
  childSpan,
  continueTrace,
  formatTraceparent,
  parseTraceparent,
  startTrace,
  type TraceParent,
} from './tracing';
export {
  contextFromHeaders,
  currentContext,
  isValidRequestId,
  outgoingHeaders,
  requestContextMiddleware,
  runWithContext,
  type RequestContext,
} from './request-context';
export {
  notFoundMiddleware,
  problemContentType,
  problemMiddleware,
  sendProblem,
  toProblem,
  type ProblemDetails,
} from './problem';
export { fieldErrors, parseBody, parseParams, parseQuery, validationError } from './validation';
export {
  healthRouter,
  postgresCheck,
  redisCheck,
  runReadinessChecks,
  type CheckResult,
  type Pingable,
  type Queryable,
  type ReadinessCheck,
  type ReadinessReport,
} from './health';
export {
  Registry,
  counter,
  createMetricsRegistry,
  httpMetricsMiddleware,
  labelRoute,
  metricsEndpoint,
  observedGauge,
} from './metrics';
export { createApp, type AppOptions } from './app';
export { behindDoor, type Door } from './door';
export { closeServer, startServer, type RunningServer, type ServerOptions } from './server';
export {
  announceClosing,
  onServerClosing,
  openEventStream,
  type EventStream,
  type EventStreamOptions,
} from './event-stream';
export { shutDownWhenOrphaned } from './orphan-watch';
export {
  installGracefulShutdown,
  shutdown,
  type GracefulShutdown,
  type GracefulShutdownOptions,
  type ShutdownResult,
  type ShutdownStep,
} from './shutdown';
