import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig, type UserWorkspaceConfig } from 'vitest/config';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const shared: UserWorkspaceConfig = {
  // esbuild cannot emit decorator metadata, which Nest DI and class-transformer need.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: [
      { find: /^nestjs-message-bus\/testing$/, replacement: fromRoot('./lib/testing/index.ts') },
      { find: /^nestjs-message-bus\/health$/, replacement: fromRoot('./lib/health/index.ts') },
      { find: /^nestjs-message-bus\/redrive$/, replacement: fromRoot('./lib/redrive/index.ts') },
      { find: /^nestjs-message-bus$/, replacement: fromRoot('./lib/index.ts') },
    ],
  },
};

const withoutBrokers = (
  name: string,
  include: string[],
  timeouts: { testTimeout: number; hookTimeout: number },
): UserWorkspaceConfig => ({
  ...shared,
  test: { name, include, setupFiles: ['reflect-metadata'], ...timeouts },
});

const integration = (
  name: string,
  include: string[],
  env: Record<string, string> = {},
): UserWorkspaceConfig => ({
  ...shared,
  test: {
    name,
    include,
    env,
    globalSetup: ['test/support/brokers.global-setup.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Broker suites share two cores with the brokers themselves.
    fileParallelism: false,
  },
});

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary.reporter.mts'],
    projects: [
      // Pure logic, no I/O: the SDKs are faked.
      withoutBrokers('unit', ['test/unit/**/*.spec.ts'], {
        testTimeout: 30_000,
        hookTimeout: 60_000,
      }),
      // Nest applications on the in-memory bus.
      withoutBrokers('e2e', ['test/e2e/**/*.spec.ts'], {
        testTimeout: 30_000,
        hookTimeout: 300_000,
      }),
      // The packed tarball installed into throwaway apps: builds, packs and installs from the registry.
      withoutBrokers('package', ['test/smoke/**/*.spec.ts'], {
        testTimeout: 30_000,
        hookTimeout: 300_000,
      }),
      integration('integration', ['test/integration/**/*.spec.ts']),
      integration('integration-moto', ['test/integration/sqs/**/*.spec.ts'], {
        SQS_TARGET: 'moto',
      }),
    ],
  },
});
