// The manifest fields that tell the manager how to run an extension: `activation`, `idleTimeoutSeconds` and
// `crashLimit` (docs/manifest.md). Each check adds its problems to `problems` and returns the value to use.
import { MAX_MANIFEST_DURATION_SECONDS } from '../constants.js';
import { didYouMean } from './did-you-mean.js';
import {
  DEFAULT_ACTIVATION,
  activationKinds,
  crashLimitKeys,
  type ActivationKind,
  type CrashLimit,
} from './manifest.js';
import { describeValue, field, isRecord } from './manifest-value.js';

export function checkActivation(value: unknown, problems: string[]): ActivationKind {
  if (value === undefined) return DEFAULT_ACTIVATION;
  if (typeof value === 'string' && (activationKinds as readonly string[]).includes(value)) {
    return value as ActivationKind;
  }
  const suggestion = typeof value === 'string' ? didYouMean(value, activationKinds) : '';
  problems.push(
    `tether.activation must be "startup" (started with the app) or "onDemand" (started at first use; the default when left out); got ${describeValue(value)}${suggestion}`,
  );
  return DEFAULT_ACTIVATION;
}

/** `idleTimeoutSeconds` in ms, or undefined when absent or wrong. Only `onDemand` extensions are stopped when idle. */
export function checkIdleTimeout(
  value: unknown,
  activation: ActivationKind,
  problems: string[],
): number | undefined {
  if (value === undefined) return undefined;
  if (!isDuration(value)) {
    problems.push(
      `tether.idleTimeoutSeconds must be a number of seconds > 0 (at most ${MAX_MANIFEST_DURATION_SECONDS}), like 300, after which an unused extension is stopped; got ${describeValue(value)}`,
    );
    return undefined;
  }
  if (activation !== 'onDemand') {
    problems.push(
      `tether.idleTimeoutSeconds applies only to "activation": "onDemand" extensions (a "${activation}" one is kept running); remove it, or set "activation": "onDemand"`,
    );
    return undefined;
  }
  return Math.max(1, Math.round(value * 1000));
}

export function checkCrashLimit(value: unknown, problems: string[]): CrashLimit | undefined {
  if (value === undefined) return undefined;
  const example = '{ "count": 3, "windowSeconds": 300 }';
  if (!isRecord(value)) {
    problems.push(
      `tether.crashLimit must be an object like ${example} (restarted after up to 3 crashes in 300 s; one more marks it failed), or left out for the host's default; got ${describeValue(value)}`,
    );
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(value)) {
    if (!(crashLimitKeys as readonly string[]).includes(key)) {
      problems.push(
        `${field('tether.crashLimit', key)} is not a crashLimit field${didYouMean(key, crashLimitKeys)}; the fields are ${crashLimitKeys.join(', ')}, like ${example}`,
      );
    }
  }
  const count = value['count'];
  if (!isPositiveInteger(count)) {
    problems.push(
      `tether.crashLimit.count must be a whole number ≥ 1, the crashes tolerated within windowSeconds, like 3; got ${describeValue(count)}`,
    );
  }
  const windowSeconds = value['windowSeconds'];
  if (!isPositiveInteger(windowSeconds) || windowSeconds > MAX_MANIFEST_DURATION_SECONDS) {
    problems.push(
      `tether.crashLimit.windowSeconds must be a whole number of seconds ≥ 1 (at most ${MAX_MANIFEST_DURATION_SECONDS}), like 300; got ${describeValue(windowSeconds)}`,
    );
  }
  if (problems.length > before) return undefined;
  return { count: count as number, windowMs: (windowSeconds as number) * 1000 };
}

function isDuration(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_MANIFEST_DURATION_SECONDS
  );
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
