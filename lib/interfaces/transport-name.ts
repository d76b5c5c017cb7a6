/** The buses a message can travel on. */
export type TransportName = 'sqs' | 'kafka' | 'memory';

export const TRANSPORT_NAMES: readonly TransportName[] = ['sqs', 'kafka', 'memory'];
