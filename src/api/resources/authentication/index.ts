/** The authentication.k8s.io/v1 types skiff's service-account tokens answer: TokenReview (create-only, never stored). */
import type { ResourceType } from '../../resource.js';
import { reviewType } from '../authorization/index.js';

/** authenticationResources lists TokenReview; TokenRequest is the `serviceaccounts/token` subresource. */
export const authenticationResources: ResourceType[] = [reviewType('authentication.k8s.io', 'TokenReview')];
