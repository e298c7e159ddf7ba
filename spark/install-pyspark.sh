#!/usr/bin/env bash
# Installs pyspark (PyPI) into .tools/pyspark, pinned by spark/requirements.txt. Idempotent:
# does nothing when the pinned version is there. Java 17 must be on PATH (or JAVA_HOME).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/pyspark
wanted=$(grep -E '^pyspark==' spark/requirements.txt | cut -d= -f3)
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r spark/requirements.txt
echo "pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)') installed in $venv"
