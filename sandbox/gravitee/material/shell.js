// The console shell: tooltips on the toolbar's icon buttons, inert controls.
import { inert, tooltip } from './mat.js';

for (const node of document.querySelectorAll('[data-tooltip]')) tooltip(node, node.dataset.tooltip);
for (const node of document.querySelectorAll('[data-inert]')) inert(node, node.dataset.inert);
