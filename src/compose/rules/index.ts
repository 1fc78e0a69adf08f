// Every rule, in the order their findings are most useful to read.
import { engineSubnets, invalidSubnet, ipamRules, overlappingSubnets, staticIpAcrossNetworks, staticIpRules } from './addressing';
import type { Rule } from './context';
import { externalNetworkMissing, externalNetworkWithConfig, macvlanWithoutParent, overlayRequiresSwarm, unusedNetwork } from './declarations';
import { duplicateHostPort, hostDockerInternalUnresolved, invalidPort, portsOnMacvlanOnly, sensitivePortPublished } from './exposure';
import { hostModeRules, macAddressMismatch, sharedNetnsConflict } from './namespaces';
import { portSyntax, portsOnInternalOnly } from './ports';
import { dependsOnNoSharedNetwork, dnsNameCollision, extraHostsShadowsService, hostReferenceRules, implicitDefaultMixed, linkRules } from './reachability';
import { networkModeUnknownService, networkModeWithNetworks, undefinedNetwork } from './references';
import { dnsrrWithIngressPorts, hostPortsReplicasExceedNodes, overlayEncrypted, overlayMtuTooLarge, overlayNotAttachable, stackIgnoredOption } from './stack';
import { duplicateKey } from './syntax';

/** Rules that reason from container_name, links or network_mode, which `docker stack deploy` ignores. */
const composeOnly = (rule: Rule): Rule => (ctx) => (ctx.project.isStack ? [] : rule(ctx));

export const ALL_RULES: Rule[] = [
  duplicateKey,
  undefinedNetwork,
  composeOnly(networkModeWithNetworks),
  composeOnly(networkModeUnknownService),
  staticIpRules,
  ipamRules,
  invalidSubnet,
  overlappingSubnets,
  engineSubnets,
  composeOnly(sharedNetnsConflict),
  composeOnly(hostModeRules),
  macAddressMismatch,
  externalNetworkMissing,
  hostReferenceRules,
  composeOnly(linkRules),
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
  dnsrrWithIngressPorts,
  overlayNotAttachable,
  overlayEncrypted,
  overlayMtuTooLarge,
  hostPortsReplicasExceedNodes,
  stackIgnoredOption,
];
