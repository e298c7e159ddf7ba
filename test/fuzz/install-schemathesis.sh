#!/usr/bin/env bash
# Installs schemathesis (PyPI) into .tools/schemathesis, pinned by test/fuzz/requirements.txt.
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.tools/schemathesis
wanted=$(grep -E '^schemathesis==' test/fuzz/requirements.txt | cut -d= -f3)
if [ -x "$venv/bin/st" ] && [ "$("$venv/bin/st" --version 2>/dev/null | awk '{print $NF}')" = "$wanted" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r test/fuzz/requirements.txt
echo "schemathesis $("$venv/bin/st" --version | awk '{print $NF}') installed in $venv"
