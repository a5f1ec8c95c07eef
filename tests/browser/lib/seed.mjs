// Test data recorded through the real CLI: a regulator, a market, a wholesaler S1 that buys
// 100 cartons of milk from an outside dairy and sells 24 to vendor V1 (who records the
// purchase) and 10 to vendor V2 (who has not yet), and V1 making pudding from 4 cartons
// (a TRANSFORM) and selling 3 to V2. Dates are relative to the server's market today (its
// clock, which a test may set), so the lot is in date whatever the hour or the test clock.
import path from 'node:path';
import { cli } from './server.mjs';

export const milk = { gtin: '6901234567892', gtin14: '06901234567892', lot: 'L2611', name: '纯牛奶' };
export const pudding = { gtin: '06901234567908', lot: 'L2611-P', name: '牛奶布丁' };
export const outsideDairy = '某乳业有限公司';
export const parties = ['S1', 'V1', 'V2', `ext:${outsideDairy}`];

// The market date `offsetDays` after `today` (YYYY-MM-DD), by calendar arithmetic.
export function addDays(today, offsetDays) {
  const [y, m, d] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + offsetDays)).toISOString().slice(0, 10);
}

export async function seed(server) {
  const { today } = await server.clock();
  const isoDay = (offsetDays) => addDays(today, offsetDays);
  const key = (id) => path.join(server.dataDir, `${id}.key`);
  const add = (id, kind, name, ...extra) => cli(['party', 'add', '--data', server.dataDir, '--server', server.ingest,
    '--id', id, '--kind', kind, '--name', name, '--key-out', key(id), ...extra]);
  await add('REG1', 'regulator', '市市场监督管理局');
  await add('M1', 'market', '东门农贸市场', '--licence', 'JY13301020012348');
  await add('S1', 'supplier', '杭州乳品批发有限公司', '--licence', 'JY13301020012345', '--wholesale');
  await add('V1', 'vendor', '张记副食', '--licence', 'JY13301020012346', '--market', 'M1', '--stall', 'A-12');
  await add('V2', 'vendor', '李家熟食', '--licence', 'JY13301020012347', '--market', 'M1', '--stall', 'B-03');
  const lot = ['--gtin', milk.gtin, '--lot', milk.lot, '--name', milk.name, '--spec', '250ml×24', '--unit', 'H87',
    '--produced-on', isoDay(-10), '--expires-on', isoDay(170)];
  const record = (kind, party, ...args) => cli(['record', kind, '--key', key(party), '--server', server.ingest, ...args]);
  await record('receive', 'S1', ...lot, '--quantity', '100', '--counterparty-name', outsideDairy,
    '--counterparty-address', '内蒙古呼和浩特市', '--counterparty-contact', '0471-1234567', '--document', '合格证 A-1');
  await record('ship', 'S1', ...lot, '--quantity', '24', '--counterparty', 'V1');
  await record('receive', 'V1', ...lot, '--quantity', '24', '--counterparty', 'S1', '--document', '随货同行单 S1-0001');
  await record('ship', 'S1', ...lot, '--quantity', '10', '--counterparty', 'V2');
  await record('transform', 'V1', '--input', `${milk.gtin14}:${milk.lot}:4:H87`, '--output', `${pudding.gtin}:${pudding.lot}:8:H87`,
    '--output-name', pudding.name, '--output-spec', '100g', '--output-expires-on', isoDay(5));
  const puddingLot = ['--gtin', pudding.gtin, '--lot', pudding.lot, '--name', pudding.name, '--spec', '100g', '--unit', 'H87',
    '--expires-on', isoDay(5), '--quantity', '3'];
  await record('ship', 'V1', ...puddingLot, '--counterparty', 'V2');
  await record('receive', 'V2', ...puddingLot, '--counterparty', 'V1');
  return {
    today,
    regulatorToken: await cli(['token', 'create', '--data', server.dataDir, '--role', 'regulator', '--party', 'REG1']),
    vendorToken: await cli(['token', 'create', '--data', server.dataDir, '--role', 'vendor', '--party', 'V1']),
    regulatorKey: key('REG1'),
  };
}

// Issues a level I recall of the milk lot from the CLI, as a regulator would.
export function recallMilk(server, regulatorKey) {
  return cli(['recall', 'issue', '--key', regulatorKey, '--server', server.ingest, '--gtin', milk.gtin,
    '--lot', milk.lot, '--level', 'I', '--reason', '菌落总数超标']);
}
