/** What the HorizontalPodAutoscaler controller reads and writes, as injectable interfaces. */
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder } from '../../client/events.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';

/** PodMetric is one pod's usage of a resource in milli-units, with when and over what window it was measured. */
export interface PodMetric {
  timestampMs: number;
  windowMs: number;
  value: number;
}

/** PodMetricsInfo maps pod names to their metric. */
export type PodMetricsInfo = Map<string, PodMetric>;

/** ResourceMetricsClient reads pod resource usage (metrics.k8s.io upstream). */
export interface ResourceMetricsClient {
  /**
   * getResourceMetric returns the usage of resource (cpu, memory) summed over each pod's
   * containers, or over container alone when it is not ''; pods missing a container's value are
   * left out. It rejects when nothing comes back.
   */
  getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<{ metrics: PodMetricsInfo; timestampMs: number }>;
}

/** ScaleTargetRef is an HPA's spec.scaleTargetRef. */
export interface ScaleTargetRef {
  apiVersion: string;
  kind: string;
  name: string;
}

/** Scale is an autoscaling/v1 Scale as the scale subresource answers it. */
export interface Scale {
  specReplicas: number;
  statusReplicas: number;
  selector: string;
  /** raw is the Scale object as read, written back with the new replica count. */
  raw: KubeObject;
}

/** ScaleClient reads and writes the scale subresource of any kind that has one. */
export interface ScaleClient {
  /** get resolves ref to a resource (rejecting with upstream's messages when it cannot) and reads its scale. */
  get(namespace: string, ref: ScaleTargetRef): Promise<Scale>;
  /** update sets spec.replicas through the same resource get found. */
  update(namespace: string, ref: ScaleTargetRef, scale: Scale, replicas: number): Promise<void>;
}

/** HpaSettings are kube-controller-manager's --horizontal-pod-autoscaler-* flags. */
export interface HpaSettings {
  syncPeriodMs: number;
  downscaleStabilizationMs: number;
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

/** DEFAULT_HPA_SETTINGS are upstream's defaults: 15 s, 5 min, 0.1, 5 min, 30 s. */
export const DEFAULT_HPA_SETTINGS: HpaSettings = {
  syncPeriodMs: 15_000,
  downscaleStabilizationMs: 300_000,
  tolerance: 0.1,
  cpuInitializationPeriodMs: 300_000,
  initialReadinessDelayMs: 30_000,
};

/** PodLister lists the pods of a namespace from the informer cache. */
export type PodLister = (namespace: string) => KubeObject[];

/** HpaDeps is everything one HPA reconcile touches. */
export interface HpaDeps {
  scales: ScaleClient;
  metrics: ResourceMetricsClient;
  listPods: PodLister;
  /** updateStatus writes the HPA through its status subresource. */
  updateStatus(hpa: KubeObject): Promise<void>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  settings: HpaSettings;
}
