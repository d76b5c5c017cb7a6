/** `PlatformNotificationPayload.severity`, lower-case on the wire as the Rust client writes it; info < warning < critical. */
export enum Severity {
  INFO = 'info',
  WARNING = 'warning',
  CRITICAL = 'critical',
}
