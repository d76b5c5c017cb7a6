/**
 * What a customer notification is about (the Rust client's `NotificationSubject`): a union
 * tagged by `type`, lower-case on the wire, written first. Every other member is a required
 * string, blank allowed, as the Rust client has it.
 */
export type NotificationSubject =
  | { type: 'relay'; id: string; source_chain: string; destination_chain: string }
  | { type: 'transaction'; reference: string }
  | { type: 'profile'; user_id: string };

/** The subject's tags, each with its other members in the Rust client's order. */
export const NOTIFICATION_SUBJECT_MEMBERS: Readonly<
  Record<NotificationSubject['type'], readonly string[]>
> = {
  relay: ['id', 'source_chain', 'destination_chain'],
  transaction: ['reference'],
  profile: ['user_id'],
};

/** Subjects with their members in the order the Rust client writes them. */
export const NotificationSubjects = {
  relay: (id: string, sourceChain: string, destinationChain: string): NotificationSubject => ({
    type: 'relay',
    id,
    source_chain: sourceChain,
    destination_chain: destinationChain,
  }),
  transaction: (reference: string): NotificationSubject => ({ type: 'transaction', reference }),
  profile: (userId: string): NotificationSubject => ({ type: 'profile', user_id: userId }),
} as const;

/** Why `value` is not a subject, as one phrase after the field path; undefined when it is one. */
export function notificationSubjectProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'object' || Array.isArray(value)) return 'must be an object';
  const subject = value as Record<string, unknown>;
  const members = Object.hasOwn(NOTIFICATION_SUBJECT_MEMBERS, String(subject.type))
    ? NOTIFICATION_SUBJECT_MEMBERS[subject.type as NotificationSubject['type']]
    : undefined;
  if (!members) {
    return `must have a type of ${Object.keys(NOTIFICATION_SUBJECT_MEMBERS).join(', ')}`;
  }
  const missing = members.filter((member) => typeof subject[member] !== 'string');
  return missing.length === 0
    ? undefined
    : `of type ${String(subject.type)} needs the string member(s) ${missing.join(', ')}`;
}
