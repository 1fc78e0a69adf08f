// What Docker lets a user do with a network, by its driver and whether it is the default bridge; the Networks
// view's menus and the connect command follow it. Each "no" is what the engine answered (docker.io 20.10).
import type { NetworkSummary } from './model';

export interface NetworkCapabilities {
  /** Containers can join it with `network connect`; else `whyNoConnect` says what the engine answers. */
  connect: boolean;
  whyNoConnect?: string;
  /** Network-scoped aliases and static addresses are accepted (user-defined networks only). */
  aliases: boolean;
  whyNoAliases?: string;
  /** It has a subnet to copy. */
  subnet: boolean;
}

/** The engine's `bridge` network (docker0), as opposed to user-defined bridge networks. */
export function isDefaultBridge(n: NetworkSummary): boolean {
  return n.options['com.docker.network.bridge.default_bridge'] === 'true' || (n.builtIn && n.driver === 'bridge');
}

export function capabilitiesOf(n: NetworkSummary): NetworkCapabilities {
  const whyNoConnect =
    n.driver === 'host'
      ? 'a container cannot be connected to the host network (it would share the host\'s namespace)'
      : n.driver === 'null'
        ? 'the none network isolates a container: it cannot be combined with other networks'
        : n.driver === 'overlay' && !n.attachable
          ? 'the overlay network is not attachable: only Swarm services can join it (create it with --attachable)'
          : undefined;
  const defaultBridge = isDefaultBridge(n);
  return {
    connect: !whyNoConnect,
    ...(whyNoConnect ? { whyNoConnect } : {}),
    aliases: !whyNoConnect && !defaultBridge,
    ...(defaultBridge ? { whyNoAliases: 'aliases and static addresses are supported only on user-defined networks, not on the default bridge' } : {}),
    subnet: n.subnets.length > 0,
  };
}
