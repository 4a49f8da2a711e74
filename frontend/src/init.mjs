// Starts GOV.UK Frontend's components (error summary focus, radios' conditional reveals, the service
// navigation's menu button, ...). Loaded as <script type="module" src="/static/init.mjs"> from ui/base.html:
// a file from this server, so the CSP needs no inline script for it. Browsers too old for ES modules skip
// it and get the no-JavaScript version of every component, which works.
import { initAll } from './govuk/govuk-frontend.min.js'

initAll()
