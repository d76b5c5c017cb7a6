/** Whether a message is an instruction (`meta_data.instruction_type`) or an event (`meta_data.event`). */
export type MessageKind = 'instruction' | 'event';

/** The `meta_data` key that carries the type of a message of this kind. */
export function typeFieldOf(kind: MessageKind): 'instruction_type' | 'event' {
  return kind === 'instruction' ? 'instruction_type' : 'event';
}
