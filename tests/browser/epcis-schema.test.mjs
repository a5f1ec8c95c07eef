// Proves foodtrace's EPCIS 2.0 output conforms to GS1's EPCIS 2.0 JSON schema (draft-07, checked
// with ajv): the lot export and the query document of the seeded market, after an EPCIS
// document with commissioning, aggregation and shipping events went in through
// `foodtrace epcis import` (the ingest path). The schema is shown to reject a misspelt member,
// so a pass means something.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { milk, seed } from './lib/seed.mjs';
import { cli, sourceDir, startServer } from './lib/server.mjs';

const schema = JSON.parse(fs.readFileSync(path.join(sourceDir, 'tests/data/epcis/EPCISDocument.schema.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const check = (doc, what) => assert.ok(validate(doc), `${what}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);

test('exports and query answers are valid EPCIS 2.0 documents', async () => {
  const server = await startServer();
  try {
    const data = await seed(server);
    const when = new Date(Date.now() - 3600_000).toISOString();
    const cls = `urn:epc:class:lgtin:${milk.gtin14.slice(1, 8)}.${milk.gtin14[0]}${milk.gtin14.slice(8, 13)}.${milk.lot}`;
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument', schemaVersion: '2.0', creationDate: when,
      epcisBody: { eventList: [
        { type: 'AggregationEvent', eventID: 'urn:uuid:s1-pack-1', eventTime: when, eventTimeZoneOffset: '+08:00',
          action: 'ADD', bizStep: 'packing', bizLocation: { id: 'urn:foodtrace:party:S1' },
          parentID: 'urn:epc:id:sscc:0614141.1234567890', childQuantityList: [{ epcClass: cls, quantity: 12 }] },
        { type: 'ObjectEvent', eventTime: when, eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'shipping',
          bizLocation: { id: 'urn:foodtrace:party:S1' }, quantityList: [{ epcClass: cls, quantity: 2 }],
          destinationList: [{ type: 'owning_party', destination: 'urn:foodtrace:party:V2' }] },
      ] },
    };
    check(doc, 'the document sent');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'foodtrace-epcis-')), 'capture.jsonld');
    fs.writeFileSync(file, JSON.stringify(doc));
    const out = JSON.parse(await cli(['epcis', 'import', '--key', path.join(server.dataDir, 'S1.key'), '--server', server.ingest,
      '--json', file]));
    assert.equal(out.accepted, 2, JSON.stringify(out));
    // Sent again: nothing new (the second event is named by its event hash).
    const again = JSON.parse(await cli(['epcis', 'import', '--key', path.join(server.dataDir, 'S1.key'), '--server', server.ingest,
      '--json', file]));
    assert.equal(again.duplicate, 2, JSON.stringify(again));

    const auth = { headers: { Authorization: `Bearer ${data.regulatorToken}` } };
    const exported = await (await fetch(`${server.http}/api/v1/export/epcis?gtin=${milk.gtin}&lot=${milk.lot}`, auth)).json();
    check(exported, 'the lot export');
    const types = new Set(exported.epcisBody.eventList.map((e) => e.type));
    assert.deepEqual([...types].sort(), ['AggregationEvent', 'ObjectEvent', 'TransformationEvent']);
    const query = await (await fetch(`${server.http}/epcis/events?MATCH_epcClass=${encodeURIComponent(cls)}`, auth)).json();
    check(query, 'the query document');
    // The query names the milk lot exactly: every exported event that lists it, nothing else.
    const names = (e) => JSON.stringify(['quantityList', 'inputQuantityList', 'childQuantityList'].map((k) => e[k] || []))
      .includes(cls);
    const ids = (list) => list.map((e) => e.eventID).sort();
    assert.deepEqual(ids(query.epcisBody.queryResults.resultsBody.eventList), ids(exported.epcisBody.eventList.filter(names)));

    const broken = structuredClone(exported);
    broken.epcisBody.eventList[0].eventTme = broken.epcisBody.eventList[0].eventTime;
    delete broken.epcisBody.eventList[0].eventTime;
    assert.equal(validate(broken), false, 'the schema rejects an event without eventTime');
  } finally {
    await server.stop();
  }
});
