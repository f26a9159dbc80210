// The screen the shell is drawn for: `narrow` is true on a phone-sized window (under 768 px
// wide), where the menus collapse, the tree is a drawer and cards take one column.
import { ref } from 'vue'

const query = typeof window !== 'undefined' ? window.matchMedia('(max-width: 767px)') : null
export const narrow = ref(!!query?.matches)
query?.addEventListener('change', e => { narrow.value = e.matches })
