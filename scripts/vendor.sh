#!/usr/bin/env bash
# `make vendor`: fetch the third-party browser files the app serves (and the test-only axe-core)
# from the npm registry at fixed versions and copy the files we use, unmodified, with their
# licences. The results are committed: nothing is fetched at run time or at install time.
set -euo pipefail
cd "$(dirname "$0")/.."

WEB=src/leye_yiyang/web/vendor
TESTS=tests/browser/vendor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# vendor DEST PACKAGE VERSION FILE... (paths inside the npm tarball's package/ folder)
vendor() {
  local dest=$1 pkg=$2 ver=$3
  shift 3
  local out="$dest/$pkg-$ver"
  rm -rf "$dest/$pkg"-*
  mkdir -p "$out" "$TMP/$pkg"
  (cd "$TMP" && npm pack --silent "$pkg@$ver" >/dev/null)
  tar -xzf "$TMP/$pkg-$ver.tgz" -C "$TMP/$pkg"
  for f in "$@"; do
    mkdir -p "$out/$(dirname "$f")"
    cp "$TMP/$pkg/package/$f" "$out/$f"
  done
  echo "$pkg@$ver -> $out"
}

vendor "$WEB" leaflet 1.9.4 LICENSE dist/leaflet.js dist/leaflet.css \
  dist/images/layers.png dist/images/layers-2x.png dist/images/marker-icon.png \
  dist/images/marker-icon-2x.png dist/images/marker-shadow.png
vendor "$WEB" leaflet.markercluster 1.5.3 MIT-LICENCE.txt dist/leaflet.markercluster.js \
  dist/MarkerCluster.css dist/MarkerCluster.Default.css
vendor "$WEB" swagger-ui-dist 5.35.0 LICENSE NOTICE swagger-ui-bundle.js \
  swagger-ui-bundle.js.LICENSE.txt swagger-ui.css
vendor "$WEB" redoc 2.5.4 LICENSE bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt
vendor "$TESTS" axe-core 4.14.1 LICENSE LICENSE-3RD-PARTY.txt axe.min.js
