// The parameters of a chart or report view (<param>s in the manifest): their values live in the
// URL once chosen (a view can be bookmarked and shared); until then the view shows the values
// the server answered it used (`params` in its answer), which are the plugin's defaults.
import { computed, ref } from 'vue'

export function useViewParams(view, route, router) {
  const used = ref({})   // the parameters' values the server answered with
  const unitId = computed(() => (route.query.unit ? Number(route.query.unit) : null))

  // A parameter's value: the URL's, else the one the server used.
  const paramValue = name => (typeof route.query[name] === 'string' && route.query[name] !== '' ? route.query[name] : used.value[name] ?? '')
  // What the view is asked with: the unit, and the parameters the URL gives (the others are the
  // plugin's defaults); withUsed: also the values the server used, so a file is what is shown.
  function viewQuery(withUsed = false) {
    const query = { unit: unitId.value || undefined }
    for (const p of view.value?.params || []) query[p.name] = withUsed ? paramValue(p.name) : route.query[p.name]
    return query
  }
  function setQuery(changes) {
    const query = { ...route.query, ...changes }
    for (const k of Object.keys(query)) if (query[k] === undefined || query[k] === '') delete query[k]
    router.push({ query })
  }
  const setParam = (name, value) => setQuery({ [name]: value ?? undefined })
  // The view's own query: the unit and its parameters, not what another view left in the URL.
  const queryKey = computed(() => JSON.stringify(viewQuery()))

  return { used, unitId, paramValue, viewQuery, setQuery, setParam, queryKey }
}
