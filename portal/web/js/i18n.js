// Every visible string of the portal in Chinese and English. Chinese is the default; the choice
// is remembered in localStorage. Static markup names its string with data-i18n (text),
// data-i18n-placeholder, data-i18n-aria-label or data-i18n-title; scripts call t(key, vars)
// and re-render on the 'foodtrace:lang' event.

const LANG_KEY = 'foodtrace.lang';
export const languages = ['zh', 'en'];

// Each entry: key: [Chinese, English]. Keep both filled; tests check it.
const table = {
  'app.title': ['食品安全追溯', 'Food Safety Traceability'],
  'app.footer': ['流通环节食品安全电子监管 · foodtrace', 'Food-safety supervision of the supply chain · foodtrace'],
  'skip': ['跳到正文', 'Skip to content'],
  'lang.label': ['语言', 'Language'],
  'nav.label': ['主导航', 'Main navigation'],
  'nav.lookup': ['查询', 'Look up'],
  'nav.recalls': ['召回公告', 'Recalls'],
  'nav.tests': ['抽检结果', 'Test results'],
  'nav.alerts': ['实时预警', 'Live alerts'],
  'nav.recall_issue': ['发布召回', 'Issue recall'],
  'nav.recall_progress': ['召回进度', 'Recall progress'],
  'nav.trace': ['追溯图', 'Trace graph'],
  'nav.ledger': ['台账', 'Ledger'],
  'nav.inspections': ['巡查计划', 'Inspections'],
  'nav.stats': ['统计', 'Statistics'],
  'nav.stock': ['我的库存', 'My stock'],
  'nav.entry': ['记录进销货', 'Record entry'],
  'nav.regulator': ['监管入口', 'Regulators'],
  'nav.vendor': ['经营者入口', 'Vendors'],

  'role.regulator': ['监管人员', 'regulator'],
  'role.vendor': ['经营者', 'vendor'],
  'signin.title.regulator': ['监管人员登录', 'Regulator sign-in'],
  'signin.title.vendor': ['经营者登录', 'Vendor sign-in'],
  'signin.token': ['访问令牌', 'Access token'],
  'signin.hint': ['令牌由系统管理员用 foodtrace token create 生成；只保存在本标签页，关闭即清除。',
    'Your administrator creates the token with foodtrace token create. It is kept in this tab only and cleared when you close it.'],
  'signin.submit': ['登录', 'Sign in'],
  'signin.signout': ['退出', 'Sign out'],
  'signin.as': ['已登录：{role}', 'Signed in: {role}'],
  'signin.bad_token': ['令牌无效或已撤销。', 'The token is invalid or revoked.'],
  'signin.wrong_role': ['这不是{role}令牌。', 'This is not a {role} token.'],
  'signin.empty': ['请输入令牌。', 'Enter the token.'],

  'verdict.recalled': ['召回', 'Recalled'],
  'verdict.expired': ['过期', 'Expired'],
  'verdict.near_expiry': ['临期', 'Near expiry'],
  'verdict.test_failed': ['检测不合格', 'Failed test'],
  'verdict.ok': ['正常', 'OK'],
  'verdict.unknown': ['未知', 'Unknown'],
  'advice.recalled': ['此批次已被召回。请勿食用，可退回商家。', 'This lot has been recalled. Do not eat it; return it to the seller.'],
  'advice.expired': ['已超过保质期。请勿食用。', 'It is past its expiry date. Do not eat it.'],
  'advice.near_expiry': ['即将到期，请尽快食用。', 'It expires soon. Use it quickly.'],
  'advice.test_failed': ['此批次抽检不合格。请勿食用。', 'This lot failed an official test. Do not eat it.'],
  'advice.ok': ['未发现召回、过期或检测不合格。', 'No recall, expiry or failed test was found.'],
  'advice.unknown': ['系统中没有这个批次的记录。', 'This lot is not recorded in the system.'],
  'advice.no_lot': ['这个条码不含批号。请输入包装上印的批号或扫描追溯码。', 'This code has no lot number. Enter the lot printed on the package, or scan the trace code.'],

  'lookup.title': ['食品信息查询', 'Food information lookup'],
  'lookup.intro': ['输入或扫描包装上的条码，查看产品来源、日期和召回状态。',
    'Type or scan the barcode on the package to see where it came from, its dates and whether it is recalled.'],
  'lookup.code': ['条码或追溯码', 'Barcode or trace code'],
  'lookup.code_hint': ['例如 6901234567892，或 (01)06901234567892(10)L240501', 'For example 6901234567892, or (01)06901234567892(10)L240501'],
  'lookup.submit': ['查询', 'Look up'],
  'lookup.or': ['或者', 'or'],
  'lookup.scan': ['用摄像头扫码', 'Scan with the camera'],
  'lookup.scan_stop': ['停止扫码', 'Stop scanning'],
  'lookup.scan_video': ['摄像头画面', 'Camera view'],
  'lookup.photo': ['上传条码照片', 'Upload a photo of the barcode'],
  'lookup.photo_hint': ['JPEG 或 PNG 照片，条码清晰、占画面大部分。', 'A JPEG or PNG photo with the barcode sharp and filling most of the picture.'],
  'lookup.reading': ['正在识别照片…', 'Reading the photo…'],
  'lookup.empty': ['请输入条码。', 'Enter a code.'],
  'lookup.camera_failed': ['无法打开摄像头，请改用上传照片。', 'The camera could not be opened; upload a photo instead.'],

  'lot.title': ['批次信息', 'Lot information'],
  'lot.loading': ['正在查询…', 'Looking up…'],
  'lot.no_code': ['没有条码。请从查询页输入。', 'No code given. Enter one on the lookup page.'],
  'lot.product': ['产品', 'Product'],
  'lot.gtin': ['商品条码', 'GTIN'],
  'lot.lot': ['批号', 'Lot'],
  'lot.spec': ['规格', 'Specification'],
  'lot.producer': ['生产者', 'Producer'],
  'lot.produced_on': ['生产日期', 'Produced on'],
  'lot.expires_on': ['保质期至', 'Use by'],
  'lot.origin': ['来源', 'Origin'],
  'lot.origin_empty': ['没有来源记录。', 'No origin is recorded.'],
  'lot.licence': ['许可证', 'Licence'],
  'lot.market': ['市场', 'Market'],
  'lot.stall': ['摊位', 'Stall'],
  'lot.received_on': ['进货日期', 'Received on'],
  'lot.received_from': ['供货来源', 'Supplied by'],
  'lot.recalls': ['召回', 'Recalls'],
  'lot.tests': ['检测结果', 'Test results'],
  'lot.again': ['再查一个', 'Look up another'],

  'recall.id': ['召回编号', 'Recall id'],
  'recall.level': ['级别', 'Level'],
  'recall.level.I': ['一级', 'Level I'],
  'recall.level.II': ['二级', 'Level II'],
  'recall.level.III': ['三级', 'Level III'],
  'recall.reason': ['原因', 'Reason'],
  'recall.issued': ['发布时间', 'Issued'],
  'recall.product': ['产品', 'Product'],
  'recall.lots': ['批次', 'Lots'],
  'recall.produced_range': ['生产日期范围', 'Production dates'],
  'recall.complete_by': ['完成期限', 'Complete by'],
  'recall.progress': ['进度', 'Progress'],
  'recalls.title': ['召回公告', 'Recalls'],
  'recalls.intro': ['以下产品批次已被召回，请勿食用，可退回商家。', 'These lots have been recalled. Do not eat them; return them to the seller.'],
  'recalls.empty': ['目前没有召回。', 'There are no recalls at present.'],

  'tests.title': ['抽检结果', 'Published test results'],
  'tests.item': ['检测项目', 'Test item'],
  'tests.value': ['检测值', 'Value'],
  'tests.limit': ['限量', 'Limit'],
  'tests.result': ['结论', 'Result'],
  'tests.passed': ['合格', 'Passed'],
  'tests.failed': ['不合格', 'Failed'],
  'tests.lab': ['检测机构', 'Laboratory'],
  'tests.date': ['检测日期', 'Tested on'],
  'tests.party': ['被抽检单位', 'Sampled at'],
  'tests.empty': ['暂无公布的抽检结果。', 'No test results are published.'],

  'alerts.title': ['实时预警', 'Live alerts'],
  'alerts.live.connecting': ['正在连接', 'Connecting'],
  'alerts.live.open': ['实时接收中', 'Live'],
  'alerts.live.error': ['连接中断，正在重连', 'Disconnected; reconnecting'],
  'alerts.state': ['状态', 'State'],
  'alerts.kind': ['类型', 'Kind'],
  'alerts.all': ['全部', 'All'],
  'alerts.ack': ['确认', 'Acknowledge'],
  'alerts.resolve': ['处理完毕', 'Resolve'],
  'alerts.empty': ['没有预警。', 'No alerts.'],
  'alerts.more': ['加载更多', 'Load more'],
  'alerts.deadline': ['期限', 'Deadline'],
  'alerts.party': ['主体', 'Party'],
  'alerts.quantity': ['数量', 'quantity'],
  'alerts.count': ['共 {n} 条', '{n} shown'],
  'state.OPEN': ['未处理', 'Open'],
  'state.ACKNOWLEDGED': ['已确认', 'Acknowledged'],
  'state.RESOLVED': ['已处理', 'Resolved'],
  'severity.CRITICAL': ['严重', 'Critical'],
  'severity.WARNING': ['警告', 'Warning'],
  'severity.INFO': ['提示', 'Info'],
  'kind.NEAR_EXPIRY': ['临期', 'Near expiry'],
  'kind.EXPIRED_IN_STOCK': ['过期在库', 'Expired in stock'],
  'kind.EXPIRED_SOLD': ['过期已售', 'Expired goods sold'],
  'kind.RECALLED_IN_STOCK': ['召回产品在库', 'Recalled goods in stock'],
  'kind.RECALLED_SOLD': ['召回产品已售', 'Recalled goods sold'],
  'kind.RECALLED_SCANNED': ['召回产品被扫码', 'Recalled goods scanned'],
  'kind.RECALL_OVERDUE': ['召回逾期', 'Recall overdue'],
  'kind.NEGATIVE_STOCK': ['负库存', 'Negative stock'],
  'kind.UNCONFIRMED_RECEIPT': ['未确认收货', 'Unconfirmed receipt'],
  'kind.UNVERIFIED_SUPPLIER': ['供货者未核验', 'Unverified supplier'],
  'kind.LICENCE_EXPIRED': ['许可证过期', 'Licence expired'],
  'kind.TEST_FAILED': ['检测不合格', 'Test failed'],

  'issue.title': ['发布召回', 'Issue a recall'],
  'issue.gtin': ['商品条码（GTIN）', 'GTIN'],
  'issue.lots': ['批号（每行一个）', 'Lots (one per line)'],
  'issue.lots_hint': ['不填批号时按生产日期范围召回。', 'Leave empty to recall by production date range.'],
  'issue.produced_from': ['生产日期自', 'Produced from'],
  'issue.produced_to': ['生产日期至', 'Produced to'],
  'issue.level': ['召回级别', 'Recall level'],
  'issue.level.I': ['一级：24 小时内通知', 'Level I: notify within 24 hours'],
  'issue.level.II': ['二级：48 小时内通知', 'Level II: notify within 48 hours'],
  'issue.level.III': ['三级：72 小时内通知', 'Level III: notify within 72 hours'],
  'issue.reason': ['召回原因', 'Reason'],
  'issue.submit': ['发布召回', 'Issue the recall'],
  'issue.done': ['召回已发布：{id}', 'Recall issued: {id}'],
  'issue.holders': ['已通知 {n} 个持有者。', '{n} holders notified.'],
  'issue.view_progress': ['查看进度', 'View progress'],

  'progress.title': ['召回进度', 'Recall progress'],
  'progress.choose': ['召回编号', 'Recall id'],
  'progress.show': ['查看', 'Show'],
  'progress.pick': ['选择一项召回查看进度。', 'Pick a recall to see its progress.'],
  'progress.holder': ['持有者', 'Holder'],
  'progress.received': ['收货', 'Received'],
  'progress.on_hand': ['现存', 'On hand'],
  'progress.disposed': ['已销毁/退货', 'Disposed / returned'],
  'progress.outstanding': ['未完成', 'Outstanding'],
  'progress.status': ['状态', 'Status'],
  'progress.overdue': ['逾期', 'Overdue'],
  'progress.done': ['完成', 'Done'],
  'progress.pending': ['进行中', 'In progress'],
  'progress.completion': ['完成率', 'Completion'],
  'progress.empty': ['没有持有者。', 'No holders.'],

  'trace.title': ['追溯图', 'Trace graph'],
  'trace.gtin': ['商品条码（GTIN）', 'GTIN'],
  'trace.lot': ['批号', 'Lot'],
  'trace.direction': ['方向', 'Direction'],
  'trace.down': ['向下：流向了谁', 'Down: where it went'],
  'trace.up': ['向上：从哪里来', 'Up: where it came from'],
  'trace.party': ['起点主体（向上追溯）', 'Starting party (trace up)'],
  'trace.show': ['绘制', 'Draw'],
  'trace.legend.flow': ['流向（数量）', 'Flow (quantity)'],
  'trace.legend.transformed': ['加工后的批次', 'Transformed lot'],
  'trace.legend.unconfirmed': ['仅一方记录', 'Recorded by one side only'],
  'trace.on_hand': ['现存 {q}', 'on hand {q}'],
  'trace.external': ['未登记供货者', 'unregistered supplier'],
  'trace.consumers': ['消费者', 'Consumers'],
  'trace.made': ['加工出 {lot} {q}', 'made {lot}: {q}'],
  'trace.truncated': ['结果过大，只显示了一部分。', 'The result is too large; only part is shown.'],
  'trace.empty': ['没有流向记录。', 'No flows are recorded.'],
  'trace.caption': ['{n} 个主体，{m} 条流向', '{n} parties, {m} flows'],
  'trace.graph_label': ['批次 {lot} 的流向图', 'Flows of lot {lot}'],
  'trace.holders': ['持有者', 'Holders'],

  'ledger.title': ['经营者台账', 'Vendor ledger'],
  'ledger.party': ['主体编号', 'Party id'],
  'ledger.from': ['起始日期', 'From'],
  'ledger.to': ['截止日期', 'To'],
  'ledger.show': ['查询', 'Show'],
  'ledger.seq': ['序号', 'Seq.'],
  'ledger.date': ['日期', 'Date'],
  'ledger.kind': ['类型', 'Kind'],
  'ledger.product': ['产品 / 批号', 'Product / lot'],
  'ledger.counterparty': ['对方', 'Counterparty'],
  'ledger.quantity': ['数量', 'Quantity'],
  'ledger.documents': ['票证', 'Documents'],
  'ledger.consumers': ['消费者（零售）', 'Consumers (retail)'],
  'ledger.empty': ['这段时间没有台账记录。', 'No ledger entries in this period.'],
  'entrykind.RECEIVE': ['进货', 'Purchase'],
  'entrykind.SHIP': ['销货', 'Sale'],
  'entrykind.TRANSFORM': ['加工', 'Transform'],
  'entrykind.DISPOSE': ['处置', 'Disposal'],
  'entrykind.STOCKTAKE': ['盘点', 'Stocktake'],
  'entrykind.CORRECT': ['更正', 'Correction'],

  'insp.title': ['巡查计划', 'Inspection list'],
  'insp.intro': ['按风险从高到低排列，供安排日常巡查。', 'Ranked by risk, highest first, for planning patrols.'],
  'insp.rank': ['排名', 'Rank'],
  'insp.party': ['经营者', 'Vendor'],
  'insp.score': ['风险分', 'Risk score'],
  'insp.open_alerts': ['未处理预警', 'Open alerts'],
  'insp.past_alerts': ['历史预警', 'Past alerts'],
  'insp.failed_tests': ['不合格检测', 'Failed tests'],
  'insp.credit': ['信用等级', 'Credit class'],
  'insp.last': ['上次巡查', 'Last inspected'],
  'insp.never': ['从未', 'Never'],
  'insp.record': ['记录巡查', 'Record inspection'],
  'insp.recorded': ['已记录', 'Recorded'],
  'insp.reasons': ['原因', 'Why'],
  'insp.date': ['巡查日期', 'Inspected on'],
  'insp.inspectors': ['执法人员编号（至少两人，逗号分隔）', 'Inspector ids (at least two, comma separated)'],
  'insp.result': ['结论', 'Result'],
  'insp.result.PASS': ['合格', 'Pass'],
  'insp.result.RECTIFY': ['限期整改', 'Rectify by a date'],
  'insp.result.FAIL': ['不合格', 'Fail'],
  'insp.item': ['检查项目', 'Checklist item'],
  'insp.item_passed': ['该项结论', 'Item result'],
  'insp.rectify_by': ['整改期限', 'Rectify by'],
  'insp.note': ['备注', 'Note'],
  'insp.empty': ['没有需要巡查的经营者。', 'No vendors to inspect.'],

  'stats.title': ['统计分析', 'Statistics'],
  'stats.entries_per_day': ['每日台账记录数', 'Ledger entries per day'],
  'stats.alerts_per_day': ['每日预警数', 'Alerts per day'],
  'stats.alerts_by_kind': ['预警（按类型）', 'Alerts by kind'],
  'stats.alerts_by_market': ['预警（按市场）', 'Alerts by market'],
  'stats.parties': ['主体（按类型）', 'Parties by kind'],
  'stats.recall_completion': ['召回完成率', 'Recall completion'],
  'stats.from': ['起始日期', 'From'],
  'stats.to': ['截止日期', 'To'],
  'stats.show': ['统计', 'Show'],
  'stats.no_market': ['不属于市场', 'No market'],
  'stats.no_data': ['这段时间没有数据。', 'No data for this period.'],
  'partykind.VENDOR': ['经营者', 'Vendors'],
  'partykind.SUPPLIER': ['供货者', 'Suppliers'],
  'partykind.MARKET': ['市场', 'Markets'],
  'partykind.KIOSK': ['查询机', 'Kiosks'],
  'partykind.REGULATOR': ['监管机构', 'Regulators'],
  'partykind.OPERATOR': ['系统', 'Operator'],

  'stock.title': ['我的库存', 'My stock'],
  'stock.product': ['产品', 'Product'],
  'stock.lot': ['批号', 'Lot'],
  'stock.quantity': ['数量', 'Quantity'],
  'stock.expires_on': ['保质期至', 'Use by'],
  'stock.flags': ['提示', 'Flags'],
  'stock.empty': ['没有库存。', 'Nothing in stock.'],
  'stock.unconfirmed': ['待确认收货', 'Receipt not recorded'],
  'stock.near_expiry': ['临期商品', 'Near-expiry goods'],
  'stock.near_expiry_empty': ['没有临期商品。', 'No near-expiry goods.'],
  'stock.recalls': ['召回通知', 'Recall notices'],
  'stock.you_hold': ['您持有', 'You hold'],
  'stock.recalls_empty': ['没有召回通知。', 'No recall notices.'],

  'entry.title': ['记录进货或销货', 'Record a purchase or sale'],
  'entry.kind': ['类型', 'Kind'],
  'entry.receive': ['进货（买入）', 'Purchase (goods in)'],
  'entry.ship': ['销货（卖出）', 'Sale (goods out)'],
  'entry.product_section': ['商品', 'Goods'],
  'entry.counterparty_section': ['对方', 'Counterparty'],
  'entry.gtin': ['商品条码（GTIN）', 'GTIN'],
  'entry.lot': ['批号', 'Lot'],
  'entry.name': ['商品名称', 'Product name'],
  'entry.spec': ['规格', 'Specification'],
  'entry.produced_on': ['生产日期', 'Produced on'],
  'entry.expires_on': ['保质期至', 'Use by'],
  'entry.quantity': ['数量', 'Quantity'],
  'entry.unit': ['单位', 'Unit'],
  'entry.date': ['日期', 'Date'],
  'entry.counterparty': ['对方编号（已登记的）', 'Counterparty id (registered)'],
  'entry.counterparty_hint': ['对方未登记时，填写下面的名称、地址和联系方式。', 'If the counterparty is not registered, fill in the name, address and contact below.'],
  'entry.counterparty_name': ['对方名称', 'Counterparty name'],
  'entry.counterparty_address': ['地址', 'Address'],
  'entry.counterparty_contact': ['联系方式', 'Contact'],
  'entry.counterparty_licence': ['对方许可证号', 'Counterparty licence'],
  'entry.documents': ['票证编号（合格证、检验报告，每行一个）', 'Certificates and test reports (one per line)'],
  'entry.submit': ['提交', 'Submit'],
  'entry.accepted': ['已记录（序号 {seq}）。', 'Recorded (sequence {seq}).'],
  'entry.duplicate': ['这条记录之前已经提交过（序号 {seq}）。', 'This entry was already recorded (sequence {seq}).'],
  'entry.rejected': ['未记录', 'Not recorded'],
  'unit.H87': ['件', 'pieces'],
  'unit.KGM': ['千克', 'kg'],
  'unit.GRM': ['克', 'g'],
  'unit.LTR': ['升', 'litres'],
  'unit.MLT': ['毫升', 'ml'],

  'common.loading': ['加载中…', 'Loading…'],
  'common.error': ['出错了', 'Something went wrong'],
  'common.retry': ['重试', 'Retry'],
  'common.none': ['无', 'None'],
  'err.NETWORK': ['无法连接服务器。', 'Cannot reach the server.'],
};

let current = null;

export function getLang() {
  if (current) return current;
  let lang = null;
  try {
    lang = localStorage.getItem(LANG_KEY);
  } catch {
    // Storage blocked (private mode): fall back to the default.
  }
  current = languages.includes(lang) ? lang : 'zh';
  return current;
}

// Translates `key`, filling {name} placeholders from `vars`. An unknown key shows itself so a
// missing string is visible rather than blank.
export function t(key, vars = {}, lang = getLang()) {
  const entry = table[key];
  let s = entry ? entry[languages.indexOf(lang)] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

// The translation if `key` exists, else `fallback` (for enum values from the server).
export function tOr(key, fallback) {
  return key in table ? t(key) : fallback;
}

// Applies translations to static markup under `root`.
export function applyI18n(root = document) {
  const lang = getLang();
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, {}, lang);
  for (const [attr, name] of [['placeholder', 'i18nPlaceholder'], ['aria-label', 'i18nAriaLabel'], ['title', 'i18nTitle']]) {
    for (const el of root.querySelectorAll(`[data-${attr === 'aria-label' ? 'i18n-aria-label' : `i18n-${attr}`}]`)) {
      el.setAttribute(attr, t(el.dataset[name], {}, lang));
    }
  }
  const title = document.querySelector('[data-i18n-doc-title]');
  if (title) document.title = `${t(title.dataset.i18nDocTitle, {}, lang)} · ${t('app.title', {}, lang)}`;
}

export function setLang(lang) {
  if (!languages.includes(lang)) return;
  current = lang;
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Not remembered, but still switched for this page.
  }
  applyI18n();
  window.dispatchEvent(new CustomEvent('foodtrace:lang', { detail: lang }));
}

export const keys = () => Object.keys(table);
export const entries = () => table;
