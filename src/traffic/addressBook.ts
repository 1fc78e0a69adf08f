// Who owns each address on the engine: every container's address on every network, and each network's
// gateway (the engine's host). Captures and flows name packets with it instead of showing bare addresses.
import type { AddressBook } from './summary';

/** The parts of the engine's records this needs (structural: the pure layer does not import the engine's types). */
export interface ContainerAddresses {
  name: string;
  composeService?: string;
  composeProject?: string;
  endpoints: Array<{ networkName: string; ipv4?: string; ipv6?: string }>;
}

export interface NetworkGateways {
  name: string;
  subnets: Array<{ gateway?: string }>;
}

export function buildAddressBook(containers: ContainerAddresses[], networks: NetworkGateways[] = []): AddressBook {
  const book: AddressBook = Object.create(null) as AddressBook;
  for (const n of networks) {
    for (const s of n.subnets) if (s.gateway) book[s.gateway] = { container: 'host', network: n.name, service: `gateway of ${n.name}` };
  }
  for (const c of containers) {
    for (const e of c.endpoints) {
      for (const address of [e.ipv4, e.ipv6]) {
        if (!address) continue;
        book[address.replace(/\/\d+$/, '')] = {
          container: c.name,
          network: e.networkName,
          ...(c.composeService ? { service: c.composeService } : {}),
          ...(c.composeProject ? { project: c.composeProject } : {}),
        };
      }
    }
  }
  return book;
}
