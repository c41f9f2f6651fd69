export { startIngress, type IngressOptions, type RunningIngress } from './controller.js';
export { buildIngressModel, INGRESS_CLASS, INGRESS_CONTROLLER } from './routes.js';
export { renderNginxConfig } from './nginx_config.js';
