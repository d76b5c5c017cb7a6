import { MessageBusConsumers } from './message-bus-consumers';

/**
 * The former name of `MessageBusConsumers`, kept for apps that inject it: the same class, so
 * `app.get(ConsumerOrchestrator)` and `app.get(MessageBusConsumers)` return the same instance.
 */
export const ConsumerOrchestrator = MessageBusConsumers;
export type ConsumerOrchestrator = MessageBusConsumers;
