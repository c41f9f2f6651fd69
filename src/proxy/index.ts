export { renderProxyRuleset, usableEndpoints, PROXY_TABLE } from './ruleset.js';
export type { ProxyRulesetInput } from './ruleset.js';
export { startServiceProxy, cleanupServiceProxy } from './proxy.js';
export type { CommandRunner, ProxySource, ServiceProxyOptions, ServiceProxy } from './proxy.js';
export { NftSession } from './nft_session.js';
