// Findings that exist only because a Compose profile is active say so: the service they are on (or point at) runs
// only with that profile, so `docker compose up` without it never meets the problem.
import type { ComposeProject, Service } from './model';
import type { Finding, Span } from './types';

/** Where a service is written: its name and each of its keys, in every file that declares it. */
function serviceSpans(svc: Service): Span[] {
  return [svc.nameSpan, ...[...svc.entries.values()].map((e) => e.span)];
}

const within = (inner: Span, outer: Span) => inner.file === outer.file && inner.start >= outer.start && inner.start < Math.max(outer.end, outer.start + 1);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the message names the service: quoted ("x") or in a bracketed list ([a, x]). */
function mentions(message: string, name: string): boolean {
  const n = escapeRe(name);
  return new RegExp(`"${n}"|[\\[,] ?${n}(?=[,\\]])`).test(message);
}

/** Appends `(only with profile "p")` to findings on, or related to, a service that only a profile activates. */
export function annotateProfiles(findings: Finding[], project: ComposeProject): Finding[] {
  const profiled = [...project.services.values()].filter((s) => s.profiles?.length);
  if (!profiled.length) return findings;
  const index = profiled.map((svc) => ({ svc, spans: serviceSpans(svc) }));
  return findings.map((f) => {
    const spans = [f.span, ...f.related.map((r) => r.span)];
    const hit = index.filter(({ svc, spans: own }) => spans.some((s) => own.some((o) => within(s, o))) || mentions(f.message, svc.name));
    if (!hit.length) return f;
    const names = [...new Set(hit.flatMap(({ svc }) => (svc.profiles ?? []).map((p) => p.value)))];
    const note = names.length === 1 ? `only with profile "${names[0]}"` : `only with profiles ${names.map((n) => `"${n}"`).join(' or ')}`;
    return { ...f, message: `${f.message} (${note})` };
  });
}
