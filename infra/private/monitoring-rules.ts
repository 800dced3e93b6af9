/**
 * Synth-time checks of {@link PipelineMonitoring}'s settings: every violation, each naming the
 * setting, its allowed range and the value.
 */
import { Token, type Duration } from 'aws-cdk-lib';

/** The settings one call checks (only those given). */
export interface MonitoringSettings {
  readonly name?: string;
  readonly period?: Duration;
  readonly oldestMessageAgeSla?: Duration;
  readonly maxLag?: Duration;
  readonly maxFailurePercent?: number;
  readonly stability?: { readonly itemProcessingTime: Duration; readonly parallelism: number };
}

/** Every rule `settings` breaks, one line each. */
export function monitoringViolations(settings: MonitoringSettings): string[] {
  const out: string[] = [];
  const seconds = (what: string, d: Duration | undefined, min: number, max: number, range: string): void => {
    if (d === undefined || Token.isUnresolved(d.toSeconds({ integral: false }))) return;
    const s = d.toSeconds({ integral: false });
    if (s < min || s > max) out.push(`${what} must be ${range}, got ${d.toHumanString()}`);
  };
  if (settings.name !== undefined && !/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(settings.name)) out.push(`name must be 1–64 letters and digits starting with a letter (it prefixes construct IDs), got "${settings.name}"`);
  seconds('period', settings.period, 60, 86_400, '1 minute – 1 day');
  seconds('oldestMessageAgeSla', settings.oldestMessageAgeSla, 60, 1_209_600, '1 minute – 14 days');
  seconds('maxLag', settings.maxLag, 1, 86_400, '1 second – 1 day');
  if (settings.maxFailurePercent !== undefined && !(settings.maxFailurePercent >= 0 && settings.maxFailurePercent < 100)) out.push(`maxFailurePercent must be 0–99.99, got ${settings.maxFailurePercent}`);
  if (settings.stability) {
    seconds('stability.itemProcessingTime', settings.stability.itemProcessingTime, 0.001, 900, '1 ms – 15 minutes');
    const p = settings.stability.parallelism;
    if (!(Number.isInteger(p) && p >= 1)) out.push(`stability.parallelism must be an integer ≥ 1, got ${p}`);
  }
  return out;
}
