#!/usr/bin/env bash
# Re-pin requirements/*.txt from requirements/*.in with hashes, using pip-tools installed
# into a throwaway virtualenv (pip-tools is not a project dependency).
#
#   scripts/lock.sh            keep current pins where the .in files still allow them
#   UPGRADE=1 scripts/lock.sh  upgrade every pin to the newest allowed version
set -euo pipefail

cd "$(dirname "$0")/../requirements"
python=${PYTHON:-python3}
tools=$(mktemp -d "${TMPDIR:-/tmp}/telepati-lock.XXXXXX")
trap 'rm -rf "$tools"' EXIT

"$python" -m venv "$tools"
"$tools/bin/python" -m pip install --disable-pip-version-check --quiet pip-tools

upgrade=()
if [[ -n ${UPGRADE:-} && ${UPGRADE:-} != 0 ]]; then
  upgrade=(--upgrade)
fi
# The order matters: dev.in is constrained by the fresh base.txt.
for name in base dev; do
  "$tools/bin/pip-compile" --quiet "${upgrade[@]}" --generate-hashes --no-emit-index-url \
    --no-emit-find-links --allow-unsafe --strip-extras --output-file="$name.txt" "$name.in"
done
echo "Pinned requirements/base.txt and requirements/dev.txt; review with git diff."
