import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { AdmissionRequest } from '../admission.js';
import type { PodSecurityConfiguration } from './config.js';
import type { Evaluator } from './registry.js';

/** PodSecurityOptions wires the PodSecurity admission plugin to its configuration and the API's caches. */
export interface PodSecurityOptions {
  /** configuration holds defaults and exemptions (default: everything privileged, nothing exempt). */
  configuration?: PodSecurityConfiguration;
  /** namespace returns a namespace object as now stored, or undefined. */
  namespace(name: string): Promise<KubeObject | undefined> | KubeObject | undefined;
  /** pods lists the pods of a namespace (for the check of existing pods when enforce tightens). */
  pods(namespace: string): Promise<KubeObject[]> | KubeObject[];
  clock: Clock;
  /** logger receives the audit annotations (skiff keeps no audit log) at debug level. */
  logger: Logger;
  evaluator?: Evaluator;
}

/** PodSecurityContext is what the plugin's steps share. */
export interface PodSecurityContext {
  config: PodSecurityConfiguration;
  evaluator: Evaluator;
  opts: PodSecurityOptions;
}

/** addWarning appends a warning once (a retried update runs admission again). */
export function addWarning(req: AdmissionRequest, msg: string): void {
  if (req.warnings && !req.warnings.includes(msg)) req.warnings.push(msg);
}
