/** Pod Security Admission: kube-apiserver's built-in PodSecurity admission plugin (see README.md). */
export { podSecurity, type PodSecurityOptions } from './plugin.js';
export { loadPodSecurityConfiguration, parsePodSecurityConfiguration, DEFAULT_CONFIGURATION, type PodSecurityConfiguration } from './config.js';
export { Evaluator } from './registry.js';
