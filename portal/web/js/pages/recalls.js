// Recalls page (public): every active recall with its level, product, lots and reason.
import { endpoints, field, getSession } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, formatDateTime, h, pill } from '../format.js';
import { pagedList } from '../list.js';
import { startShell } from '../shell.js';

const shellReady = startShell();

function recallCard(r) {
  const id = field(r, 'recall_id');
  const level = field(r, 'level') || 'I';
  const lots = field(r, 'lots') || [];
  const from = field(r, 'produced_from');
  const to = field(r, 'produced_to');
  const regulator = getSession()?.role === 'regulator';
  return h('li', { class: 'card', 'data-recall-id': id },
    h('h2', {}, pill(level === 'I' ? 'red' : 'amber', t(`recall.level.${level}`)), ' ',
      field(r, 'product_name') || field(r, 'gtin') || field(r, 'product_code')),
    h('dl', { class: 'facts' },
      h('dt', {}, t('lot.gtin')), h('dd', {}, field(r, 'gtin') || field(r, 'product_code') || '—'),
      lots.length ? [h('dt', {}, t('recall.lots')), h('dd', {}, lots.join('、'))] : null,
      from || to ? [h('dt', {}, t('recall.produced_range')), h('dd', {}, `${formatDate(from)} – ${formatDate(to)}`)] : null,
      h('dt', {}, t('recall.reason')), h('dd', {}, field(r, 'reason') || '—'),
      h('dt', {}, t('recall.issued')), h('dd', {}, formatDateTime(field(r, 'issued_at_ms'))),
      field(r, 'complete_by') ? [h('dt', {}, t('recall.complete_by')), h('dd', {}, formatDate(field(r, 'complete_by')))] : null),
    regulator && id ? h('p', {}, h('a', { href: `/recall-progress.html?id=${encodeURIComponent(id)}` }, t('recall.progress'))) : null);
}

shellReady.then(() => pagedList(document.getElementById('list'), {
  path: endpoints.recalls,
  keys: ['recalls'],
  emptyKey: 'recalls.empty',
  render: (items) => h('ul', { class: 'cards' }, items.map(recallCard)),
}));
