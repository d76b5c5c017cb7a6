/**
 * The token a publisher sends as `meta_data.token`: a fixed string, or a function (sync or async)
 * called for each message built, so that it can fetch and refresh the token.
 */
export type ServiceTokenSource = string | (() => string | Promise<string>);

/** The token to send now, from a string or a function. */
export async function resolveServiceToken(source: ServiceTokenSource): Promise<string> {
  return typeof source === 'function' ? await source() : source;
}
