import * as api from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { SdkPresence } from '../../../lib/telemetry/sdk-presence';

const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

describe('SdkPresence.hasTracerProvider', () => {
  afterEach(() => {
    api.trace.disable();
    api.diag.disable();
  });

  it('is false while nothing was ever registered with the API, true once a tracer provider is, false again once it is gone', () => {
    // Where the API keeps what is registered: absent in a fresh process, the shortcut's case.
    delete (globalThis as Record<symbol, unknown>)[API_GLOBALS];
    const presence = new SdkPresence(api);
    expect(presence.hasTracerProvider()).toBe(false);

    api.trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(presence.hasTracerProvider()).toBe(true);

    api.trace.disable();
    expect(presence.hasTracerProvider()).toBe(false);
  });

  it('is false when something other than a tracer provider was registered (a diag logger)', () => {
    api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.NONE);
    expect((globalThis as Record<symbol, unknown>)[API_GLOBALS]).toBeDefined();

    expect(new SdkPresence(api).hasTracerProvider()).toBe(false);
  });
});
