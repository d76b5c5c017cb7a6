import { describe, expect, it, vi } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import { MissingOptionalPackageError } from '../../../lib/errors/missing-optional-package.error';
import { loadOptionalPackage } from '../../../lib/transports/optional-package.loader';

const use = { setting: 'kafka', feature: 'the Kafka transport' };

/** What Node throws for a package that is not installed. */
function notInstalled(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/x.js`), {
    code: 'MODULE_NOT_FOUND',
  });
}

describe('loadOptionalPackage', () => {
  it('names the missing package and the command that installs it, in one sentence', () => {
    const name = 'nestjs-message-bus-absent-a';
    const error = (() => {
      try {
        loadOptionalPackage(name, use);
      } catch (caught) {
        return caught;
      }
      throw new Error('loaded a package that is not installed');
    })();
    expect(error).toBeInstanceOf(MissingOptionalPackageError);
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    expect(error).toMatchObject({
      packageName: name,
      setting: 'kafka',
      installCommand: `npm install ${name}`,
      message: `Invalid message bus configuration: kafka is set, but the Kafka transport needs the package ${name}, which is not installed: run npm install ${name}`,
    });
  });

  it('loads a package once and keeps it', () => {
    const module = { Kafka: class {} };
    const load = vi.fn(() => module);
    expect(loadOptionalPackage('nestjs-message-bus-present-b', use, load)).toBe(module);
    expect(loadOptionalPackage('nestjs-message-bus-present-b', use, load)).toBe(module);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failure, so installing the package later is enough', () => {
    const name = 'nestjs-message-bus-later-c';
    const load = vi
      .fn<(name: string) => unknown>()
      .mockImplementationOnce(() => {
        throw notInstalled(name);
      })
      .mockReturnValue({ ok: true });
    expect(() => loadOptionalPackage(name, use, load)).toThrow(MissingOptionalPackageError);
    expect(loadOptionalPackage(name, use, load)).toEqual({ ok: true });
  });

  it('rethrows what is not the package itself missing: a dependency of it, or its own error', () => {
    const missingDependency = (): never => {
      throw notInstalled('some-dependency');
    };
    expect(() => loadOptionalPackage('nestjs-message-bus-d', use, missingDependency)).toThrow(
      /Cannot find module 'some-dependency'/,
    );
    expect(() => loadOptionalPackage('nestjs-message-bus-d', use, missingDependency)).not.toThrow(
      MissingOptionalPackageError,
    );
    const broken = (): never => {
      throw new TypeError('boom');
    };
    expect(() => loadOptionalPackage('nestjs-message-bus-e', use, broken)).toThrow(TypeError);
  });
});
