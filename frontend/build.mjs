// Copies GOV.UK Frontend's precompiled files and our own small sources into build/, which Django's
// staticfiles serves at /static/ (settings.STATICFILES_DIRS). Plain Node, no bundler: nothing here needs
// compiling, and every file is served from this server (the CSP allows no other origin).
//
//   build/govuk/govuk-frontend.min.css (+ .map)   GOV.UK Frontend styles, asset URLs rewritten (see below)
//   build/govuk/govuk-frontend.min.js (+ .map)    GOV.UK Frontend's ES module (exports initAll)
//   build/govuk/assets/{images,manifest.json}    (no fonts: see dropGovukFontFaces)
//   build/app.css                                 Safeguard's own few styles
//   build/init.mjs                                the module that calls initAll (no inline script)
//
// Run with `npm run build` (after `npm install`).

import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const govukDist = join(here, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const src = join(here, 'src')
const out = join(here, 'build')
const outGovuk = join(out, 'govuk')

// Where Django serves build/govuk/assets: STATIC_URL + "govuk/assets".
export const ASSET_URL = '/static/govuk/assets/'

/**
 * The precompiled CSS is built with GOV.UK Frontend's default `$govuk-assets-path` of "/assets/", so it
 * asks for fonts and images at url(/assets/...). We serve them under /static/govuk/assets/, and have no
 * Sass step in which to set the path, so we rewrite the URLs in our copy instead. Only url() references
 * that start with /assets/ are touched (quoted or not); everything else is left exactly as it was.
 */
/**
 * GDS Transport, GOV.UK's typeface, is licensed only for services on GOV.UK; a council's service must not
 * use it (GOV.UK Design System, "Typography"). Its @font-face rules are removed from our copy, so the
 * font stacks fall through to Arial, as Frontend's own `$govuk-include-default-font-face: false` would.
 */
export function dropGovukFontFaces (css) {
  return css.replace(/@font-face\s*\{[^}]*\}/g, '')
}

export function rewriteAssetUrls (css, assetUrl = ASSET_URL) {
  return css.replace(/url\(\s*(["']?)\/assets\//g, (_match, quote) => `url(${quote}${assetUrl}`)
}

async function build () {
  if (!existsSync(govukDist)) {
    throw new Error(`${govukDist} is missing: run \`npm install\` in frontend/ first.`)
  }
  await rm(out, { recursive: true, force: true })
  await mkdir(outGovuk, { recursive: true })

  const css = await readFile(join(govukDist, 'govuk-frontend.min.css'), 'utf8')
  const rewritten = rewriteAssetUrls(dropGovukFontFaces(css))
  if (/url\(\s*["']?\/assets\//.test(rewritten)) {
    throw new Error('govuk-frontend.min.css still refers to /assets/ after rewriting')
  }
  await writeFile(join(outGovuk, 'govuk-frontend.min.css'), rewritten)

  for (const name of ['govuk-frontend.min.css.map', 'govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
    const from = join(govukDist, name)
    if (existsSync(from)) await copyFile(from, join(outGovuk, name))
    else if (!name.endsWith('.map')) throw new Error(`${from} is missing`)
  }

  const assets = join(outGovuk, 'assets')
  await mkdir(assets, { recursive: true })
  // Not the fonts (see dropGovukFontFaces); the images hold the crown favicons too, which base.html
  // replaces with Safeguard's own icon, but the component images (icons in buttons and tags) are needed.
  for (const name of ['images', 'manifest.json']) {
    await cp(join(govukDist, 'assets', name), join(assets, name), { recursive: true })
  }

  for (const name of ['app.css', 'init.mjs', 'icon.svg']) {
    await copyFile(join(src, name), join(out, name))
  }

  const { version } = JSON.parse(await readFile(join(here, 'node_modules', 'govuk-frontend', 'package.json'), 'utf8'))
  console.log(`Built GOV.UK Frontend ${version} and Safeguard's assets into ${out}`)
}

// Run only when executed (`node build.mjs`), so tests can import rewriteAssetUrls without building.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build()
}
