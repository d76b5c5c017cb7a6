import { TokenSupplyPayload } from './token-supply.payload';

/** Payload of a BURN instruction. */
export class BurnPayload extends TokenSupplyPayload {}
