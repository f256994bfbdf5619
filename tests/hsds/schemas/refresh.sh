#!/bin/sh
# Copy the vendored HSDS schemas, unmodified, from a local clone of openreferral/specification.
set -eu
SPEC=${1:?usage: refresh.sh /path/to/specification}
HERE=$(cd "$(dirname "$0")" && pwd)
for f in service service_list organization organization_list service_at_location service_at_location_list; do
  git -C "$SPEC" show "c457a0e3ecb0cfe43525ea8bcdbfd62542ed6730:schema/compiled/$f.json" >"$HERE/3.0/$f.json"
done
git -C "$SPEC" show c457a0e3ecb0cfe43525ea8bcdbfd62542ed6730:LICENSE >"$HERE/3.0/LICENSE"
for f in service_capacity unit; do
  git -C "$SPEC" show "abc731c8ac11825010e9d74a0ab61dcd48e880ec:schema/$f.json" >"$HERE/3.1-dev/$f.json"
done
git -C "$SPEC" show abc731c8ac11825010e9d74a0ab61dcd48e880ec:LICENSE >"$HERE/3.1-dev/LICENSE"
