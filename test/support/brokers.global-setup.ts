import { ensureBrokers } from './broker-environment';

/** Vitest global setup of the integration projects: brokers up before any worker starts. */
export default function setup(): void {
  ensureBrokers();
}
