import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // esbuild cannot emit decorator metadata, which Nest DI and class-transformer need.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: [
      { find: /^nestjs-message-bus\/testing$/, replacement: fromRoot('./lib/testing/index.ts') },
      { find: /^nestjs-message-bus$/, replacement: fromRoot('./lib/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.spec.ts'],
    exclude: ['test/smoke/apps/**', 'node_modules/**'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
