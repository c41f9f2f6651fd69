/** HPA status conditions (AbleToScale, ScalingActive, ScalingLimited), set as upstream's setCondition does. */
import { rfc3339 } from './quantity.js';

/** HpaCondition is one status.conditions entry. */
export interface HpaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/**
 * setCondition updates (or appends) the condition of type in place; lastTransitionTime moves only
 * when the status changes.
 */
export function setCondition(conditions: HpaCondition[], type: string, status: HpaCondition['status'], reason: string, message: string, nowMs: number): void {
  let c = conditions.find((x) => x.type === type);
  if (!c) {
    c = { type, status, lastTransitionTime: rfc3339(nowMs), reason, message };
    conditions.push(c);
  } else if (c.status !== status) c.lastTransitionTime = rfc3339(nowMs);
  c.status = status;
  c.reason = reason;
  c.message = message;
}
