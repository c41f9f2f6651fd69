/**
 * `--kube-controller-manager-arg name=value` (k3s's flag, repeatable): kube-controller-manager
 * flags for the embedded controllers. skiff knows the horizontal pod autoscaler's; any other name
 * is a usage error (k3s would hand it to kube-controller-manager, which rejects unknown flags).
 */
import { parseDuration } from './duration.js';
import { UsageError } from './flags.js';

/** ControllerManagerSettings are the kube-controller-manager flags skiff acts on. */
export interface ControllerManagerSettings {
  horizontalPodAutoscaler: Partial<{ syncPeriodMs: number; downscaleStabilizationMs: number; tolerance: number; cpuInitializationPeriodMs: number; initialReadinessDelayMs: number }>;
}

type Setter = (s: ControllerManagerSettings, value: string, flag: string) => void;

const duration =
  (key: 'syncPeriodMs' | 'downscaleStabilizationMs' | 'cpuInitializationPeriodMs' | 'initialReadinessDelayMs'): Setter =>
  (s, value, flag) => {
    s.horizontalPodAutoscaler[key] = parseDuration(value, flag);
  };

const KNOWN: Record<string, Setter> = {
  'horizontal-pod-autoscaler-sync-period': duration('syncPeriodMs'),
  'horizontal-pod-autoscaler-downscale-stabilization': duration('downscaleStabilizationMs'),
  'horizontal-pod-autoscaler-cpu-initialization-period': duration('cpuInitializationPeriodMs'),
  'horizontal-pod-autoscaler-initial-readiness-delay': duration('initialReadinessDelayMs'),
  'horizontal-pod-autoscaler-tolerance': (s, value, flag) => {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`invalid value ${JSON.stringify(value)} for --${flag}: want a non-negative number`);
    s.horizontalPodAutoscaler.tolerance = n;
  },
};

/** parseControllerManagerArgs reads `name=value` items (a leading `--` is allowed, as k3s allows). */
export function parseControllerManagerArgs(args: string[]): ControllerManagerSettings {
  const s: ControllerManagerSettings = { horizontalPodAutoscaler: {} };
  for (const arg of args) {
    const item = arg.replace(/^--?/, '');
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const set = KNOWN[name];
    if (!set) throw new UsageError(`unsupported --kube-controller-manager-arg ${JSON.stringify(arg)}: skiff knows ${Object.keys(KNOWN).join(', ')}`);
    if (eq < 0) throw new UsageError(`--kube-controller-manager-arg ${JSON.stringify(arg)}: want ${name}=VALUE`);
    set(s, item.slice(eq + 1), `kube-controller-manager-arg ${name}`);
  }
  return s;
}
