// Published ports: malformed ranges and host IPs, and ports no one can reach.
import { parseAddress } from '../ip';
import type { Finding } from '../types';
import { attachNetworkFix, finding, quoteList, type Rule } from './context';

function rangeLength(spec: string | undefined): number | undefined {
  const m = spec ? /^(\d+)-(\d+)$/.exec(spec) : null;
  return m ? Number(m[2]) - Number(m[1]) + 1 : undefined;
}

export const portSyntax: Rule = ({ project }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    for (const p of svc.ports) {
      if (p.unknown) continue;
      const targetLen = rangeLength(p.target);
      const publishedLen = rangeLength(p.published);
      if (targetLen !== undefined && p.published !== undefined && publishedLen !== targetLen) {
        out.push(finding('port-range-mismatch', p.span, `service "${svc.name}": port range ${p.published} has ${publishedLen ?? 1} port(s) but ${p.target} has ${targetLen}; the ranges must be the same length`));
      }
      if (p.hostIp && !parseAddress(p.hostIp)) {
        out.push(finding('port-host-ip-invalid', p.span, `service "${svc.name}": "${p.hostIp}" is not a valid host IP address for a published port`));
      }
    }
  }
  return out;
};

export const portsOnInternalOnly: Rule = ({ project, topology }) => {
  const out: Finding[] = [];
  for (const svc of project.services.values()) {
    const ports = svc.entries.get('ports');
    if (!ports || svc.ports.length === 0 || topology.mode(svc.name) !== 'networks') continue;
    const nets = topology.networksOf(svc.name);
    if (nets.length === 0 || !nets.every((n) => topology.isInternal(n))) continue;
    const open = [...project.networks.values()].filter((n) => !n.internal && !n.name.startsWith('x-'));
    out.push(finding('ports-on-internal-only', ports.keySpan, `service "${svc.name}": published ports will not be reachable from the host: every network it is on is internal ${quoteList(nets)}`, {
      related: nets.flatMap((n) => {
        const decl = project.networks.get(n);
        return decl ? [{ span: decl.nameSpan, message: `"${n}" is internal` }] : [];
      }),
      fixes: topology.hasOwnDnsName(svc.name) ? open.slice(0, 3).map((n, i) => attachNetworkFix(project, svc, n.name, i === 0)) : [],
    }));
  }
  return out;
};
