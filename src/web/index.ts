/**
 * web/: the node's dashboard — a static page whose script is a pure client of the node's REST
 * API (docs/dashboard.md). This file is the module's only public door (STYLE.md). Importing it
 * builds nothing: the page is assembled when `dashboardPage()` is called.
 */
export { dashboardPage } from './dashboard-page.js';
export { DASHBOARD_SCRIPT } from './dashboard-script.js';
export { DASHBOARD_STYLE } from './dashboard-style.js';
