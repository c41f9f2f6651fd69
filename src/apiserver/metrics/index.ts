export { ApiMetrics, LATENCY_BUCKETS, type ApiMetricsOptions, type RequestMetrics } from './api_metrics.js';
export { InstrumentedBackend, storedResource, type StoredResource } from './instrumented_backend.js';
export { cleanScope, dryRunLabel, reportedVerb } from './request_labels.js';
