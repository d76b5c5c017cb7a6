/**
 * Instructions: a request that exactly one service carries out. Values are the wire strings, in
 * the Rust client's declaration order (the Python client's seven are in the same relative order).
 * BANK_PAYMENT_REQUEST and CHAIN_PAYMENT are the Rust client's only: the Python client rejects them.
 */
export enum InstructionType {
  PAYMENT = 'PAYMENT',
  STATUS_UPDATE = 'STATUS_UPDATE',
  CORRECTION = 'CORRECTION',
  TRANSACTION = 'TRANSACTION',
  BANK_PAYMENT_REQUEST = 'BANK_PAYMENT_REQUEST',
  CHAIN_PAYMENT = 'CHAIN_PAYMENT',
  UPDATE_PROFILE = 'UPDATE_PROFILE',
  MINT = 'MINT',
  BURN = 'BURN',
}
