// Every rule, in the order their findings are most useful to read.
import { ipamRules, overlappingSubnets, staticIpRules } from './addressing';
import type { Rule } from './context';
import { externalNetworkMissing, externalNetworkWithConfig, macvlanWithoutParent, overlayRequiresSwarm, unusedNetwork } from './declarations';
import { hostModeRules, macAddressMismatch, sharedNetnsConflict } from './namespaces';
import { portSyntax, portsOnInternalOnly } from './ports';
import { dependsOnNoSharedNetwork, dnsNameCollision, extraHostsShadowsService, hostReferenceRules, implicitDefaultMixed, linkRules } from './reachability';
import { networkModeUnknownService, networkModeWithNetworks, undefinedNetwork } from './references';

export const ALL_RULES: Rule[] = [
  undefinedNetwork,
  networkModeWithNetworks,
  networkModeUnknownService,
  staticIpRules,
  ipamRules,
  overlappingSubnets,
  sharedNetnsConflict,
  hostModeRules,
  macAddressMismatch,
  externalNetworkMissing,
  hostReferenceRules,
  linkRules,
  dependsOnNoSharedNetwork,
  portsOnInternalOnly,
  dnsNameCollision,
  implicitDefaultMixed,
  unusedNetwork,
  externalNetworkWithConfig,
  macvlanWithoutParent,
  overlayRequiresSwarm,
  extraHostsShadowsService,
  portSyntax,
];
