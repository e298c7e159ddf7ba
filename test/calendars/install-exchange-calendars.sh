#!/usr/bin/env bash
# Installs exchange_calendars (PyPI) into .tools/exchange-calendars, pinned by
# test/calendars/requirements.txt. Idempotent: does nothing when the pinned version is there.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.tools/exchange-calendars
wanted=$(grep -E '^exchange_calendars==' test/calendars/requirements.txt | cut -d= -f3)
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import exchange_calendars as x; print(x.__version__)' 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r test/calendars/requirements.txt
echo "exchange_calendars $("$venv/bin/python" -c 'import exchange_calendars as x; print(x.__version__)') installed in $venv"
