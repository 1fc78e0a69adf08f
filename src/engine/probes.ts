// Probe commands as argument vectors, built only from validated targets.
import { parseAddress } from '../compose/ip';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/** A host name, container name, alias or IP address; anything else never reaches the engine. */
export function validateTarget(target: string): string | undefined {
  if (parseAddress(target) || HOSTNAME.test(target)) return undefined;
  return `"${target}" is not a host name or an IP address.`;
}

export function validatePort(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `${port} is not a TCP port (1-65535).`;
}

/** A port typed by a person: digits only, then the range ("abc" must not read as "NaN is not a TCP port"). */
export function validatePortText(text: string): string | undefined {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return `"${t}" is not a port number: write a number from 1 to 65535.`;
  return validatePort(Number(t));
}

export function validateUrl(url: string): string | undefined {
  const m = /^https?:\/\/([^/:?#]+|\[[0-9a-fA-F:]+\])(?::(\d+))?(\/[\w\-./~%!$&'()*+,;=:@?#]*)?$/.exec(url);
  if (!m) return `"${url}" is not an http:// or https:// URL.`;
  return validateTarget(m[1].replace(/^\[|\]$/g, '')) ?? (m[2] ? validatePort(Number(m[2])) : undefined);
}

function checked(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}

export function pingArgv(target: string, count = 4): string[] {
  checked(validateTarget(target));
  return ['ping', '-c', String(Math.max(1, Math.min(100, Math.floor(count)))), '-W', '2', target];
}

export function dnsArgv(name: string): string[] {
  checked(validateTarget(name));
  return ['nslookup', name];
}

/** busybox nc has no -z: connect with a timeout and no input; exit 0 means the port accepted. */
export function tcpArgv(host: string, port: number): string[] {
  checked(validateTarget(host) ?? validatePort(port));
  return ['nc', '-w', '3', host, String(port)];
}

/** busybox wget: -S prints the status line; --spider fetches nothing. (Debian's static busybox crashes on -T.) */
export function httpArgv(url: string): string[] {
  checked(validateUrl(url));
  return ['wget', '-S', '--spider', url];
}
