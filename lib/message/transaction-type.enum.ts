/** `TransactionPayload.transaction_type` and `NewTransactionEventPayload.kind`. TRANSFER is the Rust client's only: the Python client rejects a message carrying it. */
export enum TransactionType {
  DEPOSIT = 'DEPOSIT',
  WITHDRAW = 'WITHDRAW',
  TRANSFER = 'TRANSFER',
}
