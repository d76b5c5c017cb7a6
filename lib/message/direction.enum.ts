/** `PaymentPayload.direction` (the Rust client's `PaymentDirection`). BOTH is the Rust client's only: the Python client rejects a message carrying it. */
export enum Direction {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
  BOTH = 'BOTH',
}
