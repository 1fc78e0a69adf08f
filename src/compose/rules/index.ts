// Every rule, in the order their findings are most useful to read.
import { engineSubnets, invalidSubnet, ipamRules, overlappingSubnets, staticIpAcrossNetworks, staticIpRules } from './addressing';
import type { Rule } from './context';
import { externalNetworkMissing, externalNetworkWithConfig, macvlanWithoutParent, overlayRequiresSwarm, unusedNetwork } from './declarations';
import { duplicateHostPort, hostDockerInternalUnresolved, invalidPort, portsOnMacvlanOnly, sensitivePortPublished } from './exposure';
import { hostModeRules, macAddressMismatch, sharedNetnsConflict } from './namespaces';
import { portSyntax, portsOnInternalOnly } from './ports';
import { dependsOnNoSharedNetwork, dnsNameCollision, extraHostsShadowsService, hostReferenceRules, implicitDefaultMixed, linkRules } from './reachability';
import { networkModeUnknownService, networkModeWithNetworks, undefinedNetwork } from './references';
import { duplicateKey } from './syntax';

export const ALL_RULES: Rule[] = [
  duplicateKey,
  undefinedNetwork,
  networkModeWithNetworks,
  networkModeUnknownService,
  staticIpRules,
  ipamRules,
  invalidSubnet,
  overlappingSubnets,
  engineSubnets,
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
  invalidPort,
  duplicateHostPort,
  portsOnMacvlanOnly,
  staticIpAcrossNetworks,
  hostDockerInternalUnresolved,
  sensitivePortPublished,
];
