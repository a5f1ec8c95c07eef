// Proves the trace graph's model: one node per party in a trace answer, TRANSFORM outputs
// marked on the party that made them, flows of made lots marked transformed, and columns
// that follow the direction of the flows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph, layout } from '../../portal/web/js/trace-graph.js';

const answer = {
  lot: { ref: { gtin: '06901234567892', lot: 'L1' } },
  edges: [
    { from: 'ext:Dairy', to: 'S1', lot: 'L1', quantity: 100, shipped: 0, received: 100, unit: 'H87' },
    { from: 'S1', to: 'V1', lot: 'L1', quantity: 24, shipped: 24, received: 24, unit: 'H87' },
    { from: 'S1', to: 'V2', lot: 'L1', quantity: 10, shipped: 10, received: 0, unit: 'H87' },
    { from: 'xf:V1', to: 'V1', lot: 'L1-P', quantity: 8, shipped: 8, received: 8, unit: 'H87' },
    { from: 'V1', to: 'V2', lot: 'L1-P', quantity: 3, shipped: 3, received: 3, unit: 'H87' },
  ],
  holders: [{ party_id: 'V1', lot: 'L1', on_hand: 20, unit: 'H87' }, { party_id: 'V2', lot: 'L1', on_hand: 0, unconfirmed: 10, unit: 'H87' }],
  parties: { S1: { name: 'Wholesaler' }, V1: { name: 'Vendor 1' }, V2: { name: 'Vendor 2' } },
};

test('a trace answer becomes one node per party, with the made lot on its maker', () => {
  const g = buildGraph(answer);
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['S1', 'V1', 'V2', 'ext:Dairy']);
  const v1 = g.nodes.find((n) => n.id === 'V1');
  assert.equal(v1.transformer, true);
  assert.deepEqual(v1.made, [{ lot: 'L1-P', quantity: 8, unit: 'H87' }]);
  assert.deepEqual(v1.onHand, { lot: 'L1', quantity: 20, unit: 'H87', other: false });
  assert.equal(g.nodes.find((n) => n.id === 'ext:Dairy').external, true);
  assert.equal(g.edges.length, 4, 'the TRANSFORM itself is not drawn as a flow');
  assert.deepEqual(g.edges.filter((e) => e.transformed).map((e) => `${e.from}>${e.to}`), ['V1>V2']);
  assert.deepEqual(g.edges.filter((e) => e.oneSided).map((e) => `${e.from}>${e.to}`), ['S1>V2']);
});

test('columns follow the flows, even when they form a cycle', () => {
  const { pos } = layout(buildGraph(answer));
  const col = (id) => pos.get(id).col;
  assert.ok(col('ext:Dairy') < col('S1') && col('S1') < col('V1') && col('V1') < col('V2'));
  const cyclic = buildGraph({ edges: [{ from: 'A', to: 'B', lot: 'L', quantity: 1 }, { from: 'B', to: 'A', lot: 'L', quantity: 1 }] });
  assert.equal(layout(cyclic).pos.size, 2);
});
