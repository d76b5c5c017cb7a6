// nestjs-message-bus/health: needs @nestjs/terminus, so it stays out of the main entry.
export {
  MessageBusHealthIndicator,
  type MessageBusHealthDetails,
} from './message-bus-health.indicator';
export type { MessageBusReadinessOptions } from './message-bus-readiness-options.interface';
export type { ConsumerHealth } from './consumer-health';
export type { BrokerHealth } from './broker-reachability';
export { DEFAULT_BROKER_TIMEOUT_MS, MESSAGE_BUS_HEALTH_KEY } from './message-bus-health.constants';
