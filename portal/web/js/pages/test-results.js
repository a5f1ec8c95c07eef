// Published test results (public): what was sampled where, the item, value, limit and verdict.
import { endpoints, field } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, h, pill, table } from '../format.js';
import { pagedList } from '../list.js';
import { startShell } from '../shell.js';

startShell().then(() => pagedList(document.getElementById('list'), {
  path: endpoints.testResults,
  keys: ['test_results'],
  emptyKey: 'tests.empty',
  render: (items) => table([
    { key: 'tests.date', cell: (r) => formatDate(field(r, 'tested_on')) },
    { key: 'tests.party', cell: (r) => field(r, 'party_name') || field(r, 'party_id') || '—' },
    { key: 'lot.product', primary: true, cell: (r) => [field(r, 'product_name') || field(r, 'gtin') || field(r, 'product_code') || '—',
      field(r, 'lot') ? h('div', { class: 'hint' }, `${t('lot.lot')} ${field(r, 'lot')}`) : null] },
    { key: 'tests.item', cell: (r) => field(r, 'item') || '—' },
    { key: 'tests.value', cell: (r) => field(r, 'value') || '—' },
    { key: 'tests.limit', cell: (r) => field(r, 'limit') || '—' },
    { key: 'tests.result', cell: (r) => (field(r, 'passed') ? pill('green', t('tests.passed')) : pill('red', t('tests.failed'))) },
    { key: 'tests.lab', cell: (r) => field(r, 'lab') || '—' },
  ], items, { rowAttrs: (r) => ({ 'data-test-id': field(r, 'test_id') || '' }) }),
}));
