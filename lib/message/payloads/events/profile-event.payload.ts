import { ProfileIdentityPayload } from './profile-identity.payload';

/** Payload of a NEW_PROFILE event. */
export class ProfileEventPayload extends ProfileIdentityPayload {}
