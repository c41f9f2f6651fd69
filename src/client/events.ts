import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import type { Client } from './client.js';
import { R } from './client.js';
import { EventSpamFilter } from './event_spam.js';

/** EventRecorder writes core/v1 Events about objects (what `kubectl describe` and `kubectl get events` show). */
export interface EventRecorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * createEventRecorder returns a recorder for one component. Repeats of the same event on the same
 * object within 10 minutes bump the existing Event's count instead of creating a new one, as
 * client-go's correlator does, and each object gets at most 25 Events at once then one per 5
 * minutes (client-go's spam filter). Writes are fire-and-forget: events never block or fail a sync.
 */
export function createEventRecorder(opts: { client: Client; component: string; host?: string; clock: Clock; logger: Logger }): EventRecorder {
  const events = opts.client.resource(R.events);
  const recent = new Map<string, { name: string; namespace: string; count: number; at: number; firstTimestamp: string }>();
  const spam = new EventSpamFilter(opts.clock);
  return {
    event(obj, type, reason, message) {
      if (!spam.allow(`${obj.kind ?? ''}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}/${obj.metadata.uid ?? ''}`)) return;
      const ns = obj.metadata.namespace || 'default';
      const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion };
      const key = `${obj.metadata.uid ?? ''}|${type}|${reason}|${message}`;
      const now = opts.clock.now();
      const prev = recent.get(key);
      if (recent.size > 4096) recent.clear();
      const source: Record<string, string> = { component: opts.component };
      if (opts.host) source.host = opts.host;
      if (prev && now - prev.at < 10 * 60_000) {
        prev.count++;
        prev.at = now;
        events
          .patch(prev.namespace, prev.name, 'merge', { count: prev.count, lastTimestamp: rfc3339(now) })
          .catch((e: Error) => opts.logger.debug('event update failed', { err: e.message }));
        return;
      }
      const name = `${obj.metadata.name ?? 'object'}.${now.toString(16)}${randomBytes(2).toString('hex')}`;
      const firstTimestamp = rfc3339(now);
      recent.set(key, { name, namespace: ns, count: 1, at: now, firstTimestamp });
      const ev: KubeObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject,
        reason,
        message,
        type,
        source,
        count: 1,
        firstTimestamp,
        lastTimestamp: firstTimestamp,
        reportingComponent: opts.component,
        reportingInstance: opts.host ?? '',
      };
      events.create(ns, ev).catch((e: Error) => opts.logger.debug('event write failed', { err: e.message }));
    },
  };
}
