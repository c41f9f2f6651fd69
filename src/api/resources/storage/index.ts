/** The storage.k8s.io/v1 resources. */
import type { ResourceType } from '../../resource.js';
import { csidrivers } from './csidrivers.js';
import { csinodes } from './csinodes.js';
import { storageclasses } from './storageclasses.js';
import { volumeattachments } from './volumeattachments.js';

/** storageResources lists every storage.k8s.io/v1 ResourceType. */
export const storageResources: ResourceType[] = [storageclasses, volumeattachments, csidrivers, csinodes];
