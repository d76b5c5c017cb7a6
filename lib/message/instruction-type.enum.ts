/** Instructions: a request that exactly one service carries out. Values are the wire strings. */
export enum InstructionType {
  PAYMENT = 'PAYMENT',
  STATUS_UPDATE = 'STATUS_UPDATE',
  CORRECTION = 'CORRECTION',
  TRANSACTION = 'TRANSACTION',
  UPDATE_PROFILE = 'UPDATE_PROFILE',
  MINT = 'MINT',
  BURN = 'BURN',
}
