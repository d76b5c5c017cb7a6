/** The wire object of a `CUSTOM_EVENT`, a type only apps that register it know. */
export function customEventWire(reference: string, token: string) {
  return {
    meta_data: {
      source: 'TEST_SERVICE',
      created_at: '2026-12-01T10:00:00Z',
      token,
      idempotency_key: `key-${reference}`,
      event: 'CUSTOM_EVENT',
    },
    payload: { reference },
  };
}
