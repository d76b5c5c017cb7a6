import { MissingOptionalPackageError } from '../errors/missing-optional-package.error';

/** What asks for an optional peer: the option that configures it and the feature it runs. */
export interface OptionalPackageUse {
  /** The option path as the user writes it, e.g. `kafka`. */
  readonly setting: string;
  /** What runs on the package, e.g. `the Kafka transport`. */
  readonly feature: string;
}

const loaded = new Map<string, unknown>();

/**
 * Loads an optional peer dependency (`kafkajs`, `@aws-sdk/client-sqs`) the first time a
 * transport that runs on it is configured, and keeps the module: later calls are a map
 * lookup, never another `require`. An app that configures no Kafka never loads kafkajs,
 * so it need not install it. A missing package throws `MissingOptionalPackageError`, naming
 * it and the command that installs it; any other failure while loading it is rethrown.
 *
 * `load` is for tests only: they pass a resolver that fails as a missing package would.
 */
export function loadOptionalPackage<T>(
  packageName: string,
  use: OptionalPackageUse,
  load: (name: string) => unknown = requirePackage,
): T {
  if (loaded.has(packageName)) return loaded.get(packageName) as T;
  let module: unknown;
  try {
    module = load(packageName);
  } catch (error) {
    if (isMissing(error, packageName)) {
      throw new MissingOptionalPackageError(packageName, use.setting, use.feature, {
        cause: error,
      });
    }
    throw error;
  }
  loaded.set(packageName, module);
  return module as T;
}

function requirePackage(name: string): unknown {
  // The one runtime load of an optional peer; every other use of it is `import type`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name);
}

/** Node's "not installed" for this package itself, not for something the package imports. */
function isMissing(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && message.includes(`'${packageName}'`);
}
