export { MessageBusTestingModule } from './message-bus-testing.module';
export { MessageBusTestBus, type PublishedMessage } from './message-bus-test-bus';
export type {
  MemoryDeadLetterRecord,
  MemorySettlement,
  MemoryPublishedRecord,
} from '../transports/memory/memory-records';
