import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  EventType,
  OnEvent,
  type PlatformNotificationPayload,
  type RelayEvent,
  type TwoShapeRelayEventPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** What the handlers saw, in order. */
const seen: string[] = [];

@Injectable()
class NotificationHandlers {
  // A type only the Rust client sends (peer-models.md §2.3).
  @OnEvent(EventType.RELAY_FAILED)
  relayFailed(payload: PlatformNotificationPayload) {
    seen.push(
      `RELAY_FAILED ${payload.severity} ${payload.subject} ${JSON.stringify(payload.data)}`,
    );
  }

  // One wire name, two shapes: `{email, payload}` from Python, `{subject, data}` from Rust.
  @OnEvent(EventType.RELAY_INITIATED)
  relayInitiated(payload: TwoShapeRelayEventPayload) {
    const event: RelayEvent = payload.asRelayEvent();
    seen.push(
      event.dialect === 'python'
        ? `RELAY_INITIATED python ${event.email} ${event.payload.relay_id}`
        : `RELAY_INITIATED rust ${event.subject.type} ${JSON.stringify(event.data)}`,
    );
  }
}

@Module({
  imports: [
    MessageBusTestingModule.forRoot({
      consumers: {
        sqs: [
          {
            queue: 'notifications',
            deadLetterQueue: 'notifications-dlq',
            retry: { maxAttempts: 2, initialDelayMs: 5 },
          },
        ],
      },
    }),
  ],
  providers: [NotificationHandlers],
})
class NotifierApp {}

// As each peer writes them (peer-models.md §1.2): Rust compact with raw UTF-8, Python json.dumps.
const RUST_META =
  '"source":"RELAY_SERVICE","created_at":"2026-03-14T09:26:53Z","token":"t.jwt.sig","idempotency_key":"9a1b"';
const rustEvent = (event: string, payload: string) =>
  `{"meta_data":{${RUST_META},"event":"${event}"},"payload":${payload}}`;
const pythonRelayInitiated =
  '{"meta_data": {"source": "RELAY_SERVICE", "created_at": "2026-03-14T09:26:53Z", "token": "t.jwt.sig", "idempotency_key": "9a1c", "event": "RELAY_INITIATED"}, "payload": {"email": "ana@example.com", "payload": {"relay_id": "relay-91d2"}}}';

describe('a Nest consumer on a bus shared with the Rust client', () => {
  let app: TestingModule;
  let bus: MessageBusTestBus;

  beforeAll(async () => {
    app = await Test.createTestingModule({ imports: [NotifierApp] }).compile();
    await app.init();
    bus = MessageBusTestBus.from(app);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    seen.length = 0;
  });

  it('handles a Rust-only event, RELAY_FAILED, with its platform notification payload', async () => {
    const body = rustEvent(
      'RELAY_FAILED',
      '{"severity":"critical","data":{"relay_id":"r1","note":null},"subject":"relay:r1"}',
    );
    const [settlement] = await bus.publishAndWait(body, 'notifications');
    expect(settlement).toMatchObject({ deadLettered: false, outcome: { status: 'handled' } });
    expect(seen).toEqual(['RELAY_FAILED critical relay:r1 {"relay_id":"r1","note":null}']);
  });

  it('hands RELAY_INITIATED to one handler in either peer’s shape, saying which', async () => {
    const rust = rustEvent(
      'RELAY_INITIATED',
      '{"subject":{"type":"relay","id":"r1","source_chain":"eth","destination_chain":"stellar"},"data":{"amount":"40.00"}}',
    );
    for (const body of [pythonRelayInitiated, rust]) {
      const [settlement] = await bus.publishAndWait(body, 'notifications');
      expect(settlement).toMatchObject({ deadLettered: false, outcome: { status: 'handled' } });
    }
    expect(seen).toEqual([
      'RELAY_INITIATED python ana@example.com relay-91d2',
      'RELAY_INITIATED rust relay {"amount":"40.00"}',
    ]);
  });

  it('dead-letters a Rust notification that breaks its rules, naming the field', async () => {
    const [settlement] = await bus.publishAndWait(
      rustEvent('RELAY_FAILED', '{"severity":"ERROR","data":{}}'),
      'notifications',
    );
    expect(settlement).toMatchObject({
      deadLettered: true,
      outcome: { status: 'rejected', reason: 'invalid-message' },
    });
    const record = bus.deadLetters().find((letter) => letter.messageId === settlement.messageId);
    expect(record?.reason).toMatch(/payload\.severity must be one of info, warning, critical/);
    expect(seen).toEqual([]);
  });
});
