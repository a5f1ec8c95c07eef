// The public origin of a lot as levels of a graph (the lot page draws them top to bottom).
import { field } from './api.js';

// The origin as the true graph of flows: each party sits one level below the deepest of its
// sources, so two wholesalers that both bought from the producer are siblings on one level,
// not a chain. Parties without `sources` (a vendor's own chain) follow the one before them.
export function originLevels(parties) {
  const ids = new Set(parties.map((p) => field(p, 'party_id')).filter(Boolean));
  const level = new Map();
  const sourcesOf = (p, i) => {
    const listed = field(p, 'sources');
    if (Array.isArray(listed)) return listed;
    const from = field(p, 'received_from');
    return from ? [from] : i > 0 ? [field(parties[i - 1], 'party_id')] : [];
  };
  for (let pass = 0; pass <= parties.length; pass++) {
    let changed = false;
    parties.forEach((p, i) => {
      const inner = sourcesOf(p, i).filter((s) => ids.has(s) && s !== field(p, 'party_id'));
      const l = inner.length ? Math.max(...inner.map((s) => (level.get(s) ?? 0) + 1)) : 0;
      if (level.get(field(p, 'party_id') || i) !== l && l <= parties.length) {
        level.set(field(p, 'party_id') || i, l);
        changed = true;
      }
    });
    if (!changed) break;
  }
  const levels = [];
  parties.forEach((p, i) => {
    const l = level.get(field(p, 'party_id') || i) ?? 0;
    (levels[l] ||= []).push({ party: p, sources: sourcesOf(p, i) });
  });
  return levels.filter(Boolean);
}

