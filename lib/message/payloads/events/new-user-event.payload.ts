import { ProfileIdentityPayload } from './profile-identity.payload';

/**
 * Payload of a NEW_USER event, as the Rust client sends it. The Python client lists NEW_USER
 * but has no payload class for it, so it rejects every NEW_USER message, this one included.
 */
export class NewUserEventPayload extends ProfileIdentityPayload {}
