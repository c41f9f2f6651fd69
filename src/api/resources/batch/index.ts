/** The batch/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { cronjobs } from './cronjobs.js';
import { jobs } from './jobs.js';

/** batchResources lists every batch/v1 ResourceType. */
export const batchResources: ResourceType[] = [jobs, cronjobs];
