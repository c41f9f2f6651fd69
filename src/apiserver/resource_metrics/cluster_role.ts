import type { KubeObject } from '../../api/types.js';
import { METRICS_GROUP } from './types.js';

/**
 * aggregatedMetricsReader is metrics-server's `system:aggregated-metrics-reader` ClusterRole: read
 * access to NodeMetrics and PodMetrics, aggregated into the view, edit and admin roles.
 */
export function aggregatedMetricsReader(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'system:aggregated-metrics-reader',
      labels: {
        'k8s-app': 'metrics-server',
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      },
    },
    rules: [{ apiGroups: [METRICS_GROUP], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
  };
}
