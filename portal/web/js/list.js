// A paged list from the API: fetches the first page, renders the items with `render`, offers
// "load more" while the answer names a next cursor, and re-renders in the new language on a
// language switch (from the items it already has; nothing is fetched again).
import { field, get, listOf, withQuery } from './api.js';
import { t } from './i18n.js';
import { empty, errorNotice, fill, h, loading } from './format.js';

export function pagedList(container, { path, params = {}, keys = [], render, emptyKey, auth = false }) {
  let items = [];
  let cursor = null;
  let error = null;

  const draw = () => {
    const more = cursor ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => load(cursor) }, t('alerts.more'))) : null;
    if (error && !items.length) return fill(container, errorNotice(error));
    fill(container, items.length ? render(items) : empty(emptyKey), error ? errorNotice(error) : null, more);
  };

  async function load(from) {
    if (!from) fill(container, loading());
    try {
      const ans = await get(withQuery(path, { ...params, cursor: from || undefined }), { auth });
      items = from ? items.concat(listOf(ans, ...keys)) : listOf(ans, ...keys);
      cursor = field(ans, 'next_cursor') || null;
      error = null;
    } catch (e) {
      error = e;
    }
    draw();
  }

  window.addEventListener('foodtrace:lang', draw);
  load(null);
  return { reload: () => load(null), items: () => items };
}
