// What a module's manifest cannot declare yet, declared here in the manifest's own terms, by
// card or list ("<plugin>/<card or list id>"): actions a card's record takes as steps of its
// own (a member leaving is 减少, not two fields at the bottom of the card), and the value a
// list's filter has when none is given (the server's default, shown instead of a blank).
// Field labels, kinds and dictionaries still come from the card; when manifests can declare
// these (a host change), this file goes.

/**
 * An action: a button on the card opening a dialog with `fields` (card fields: `required`,
 * `notFuture`, and `today` to start with today's date), then a confirmation, then the card's
 * own PUT with If-Match, setting those fields. The record has taken the action while its
 * `done` field has a value: the fields are then shown read-only (and hidden before), and
 * `undo` (if declared) clears them again after a confirmation.
 * Texts: {zh-CN, en}; {field} in `confirm` is the value the dialog gives that field, {title}
 * the record's title (its first text field).
 */
const CARD_ACTIONS = {
  'party.daily/member': [{
    id: 'decrease',
    permission: 'party.daily.write',
    label: { 'zh-CN': '减少', en: 'Leaves' },
    title: { 'zh-CN': '党员减少', en: 'Member leaves' },
    hint: {
      'zh-CN': '党员因组织关系转出、死亡、退党、除名等离开本组织时办理减少。减少后不再列入在册党员，记录保留，可在人员范围“已减少”中查到。',
      en: 'A member leaves when transferred out, on death or on leaving the party. They are then no longer on the roll; the record stays and is found under “left”.',
    },
    fields: [{ name: 'leftDate', required: true, notFuture: true, today: true }, { name: 'leftReason', required: true }],
    done: 'leftDate',
    confirm: {
      'zh-CN': '确定将 {title} 于 {leftDate} 以“{leftReason}”减少吗？',
      en: 'Record that {title} left on {leftDate} ({leftReason})?',
    },
    doneTag: { 'zh-CN': '已减少', en: 'Left' },
    succeeded: { 'zh-CN': '已办理减少', en: 'The member has left' },
    undo: {
      label: { 'zh-CN': '撤销减少', en: 'Undo leaving' },
      confirm: {
        'zh-CN': '撤销后 {title} 重新列入在册党员，减少日期和原因将被清除（修改记入历史）。确定撤销吗？',
        en: '{title} will be on the roll again and the date and reason of leaving are cleared (kept in the history). Undo?',
      },
      succeeded: { 'zh-CN': '已撤销减少', en: 'Leaving undone' },
    },
  }],
}

/**
 * A link a record gives out for someone without a login (a closed ticket's satisfaction
 * survey for its customer): a button on the card, shown while the record's `when` fields have
 * those values, that POSTs `route` ({id}: the record's) and shows the answer's `path` as an
 * absolute link to copy and send, with its `expiresAt`. Who may make it, the server decides.
 */
const CARD_LINKS = {
  'biz.aftersales/ticket': [{
    id: 'survey-link',
    route: 'tickets/{id}/survey-link',
    when: { state: 'closed' },
    label: { 'zh-CN': '满意度调查链接', en: 'Survey link' },
    title: { 'zh-CN': '客户满意度调查链接', en: "Customer's survey link" },
  }],
}

/** What a list's filter is when the URL gives none: param -> value (a dictionary code). */
const FILTER_DEFAULTS = {
  'party.daily/members': { roll: 'current' },
}

/** The actions of a plugin's card (empty when none). */
export function cardActions(pluginId, cardId) {
  return CARD_ACTIONS[`${pluginId}/${cardId}`] || []
}

/** The public links a plugin's card gives out (empty when none). */
export function cardLinks(pluginId, cardId) {
  return CARD_LINKS[`${pluginId}/${cardId}`] || []
}

/** The defaults of a plugin's list filters (param -> value). */
export function filterDefaults(pluginId, listId) {
  return FILTER_DEFAULTS[`${pluginId}/${listId}`] || {}
}
