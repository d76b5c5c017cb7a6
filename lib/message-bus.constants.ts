/** Metadata key of the handler bindings that @OnInstruction / @OnEvent put on a method. */
export const MESSAGE_HANDLER_METADATA = 'message-bus:handler_metadata';

/** Injection token of the validated, defaulted module options. */
export const MESSAGE_BUS_RESOLVED_OPTIONS = Symbol('message-bus:resolved_options');

/**
 * Injection token of options merged over the module's own at start-up. `null` in
 * production; the testing module overrides it to put an app on the in-memory bus.
 */
export const MESSAGE_BUS_OPTIONS_OVERRIDE = Symbol('message-bus:options_override');

/** Execution context type of bus handlers: Nest's microservice (`rpc`) context. */
export const MESSAGE_BUS_CONTEXT_TYPE = 'rpc';
