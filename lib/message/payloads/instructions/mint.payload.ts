import { TokenSupplyPayload } from './token-supply.payload';

/** Payload of a MINT instruction. */
export class MintPayload extends TokenSupplyPayload {}
