#!/usr/bin/env bash
# Creates (or brings up to date) the Python environment of the agent-lightning compatibility tests in
# ~/.cache/lightning-store/agl-venv and prints the path of its python on stdout; everything else goes to
# stderr. The first build downloads about 500 MB and takes a minute or more.
#
#   export AGL_PYTHON="$(bash scripts/python-env.sh)"
#
# The environment holds exactly test/python/requirements.txt (the real agentlightning 0.3.0, what
# importing it needs, and OpenTelemetry at a version its exporters work with). When the venv was built
# from the same file (a hash stamp), nothing is installed. Variables: PYTHON, the interpreter to build
# from (default python3, must be >= 3.10); AGL_VENV, the venv directory (default
# ~/.cache/lightning-store/agl-venv).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${AGL_VENV:-${HOME}/.cache/lightning-store/agl-venv}"
requirements="$root/test/python/requirements.txt"
python="${PYTHON:-python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "$venv/bin/python"
  exit 0
fi

if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "python-env: $python is older than 3.10 (agentlightning needs 3.10 or newer)" >&2
  exit 1
fi

# A venv built from another requirements file is rebuilt, so no package of the old list lingers.
echo "python-env: building $venv from test/python/requirements.txt" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$requirements" >&2

# The client, the runner and the AgentOps tracer must import, with the OpenTelemetry the pins name;
# litellm then reads its bundled model price list instead of fetching it (a wait of seconds otherwise).
LITELLM_LOCAL_MODEL_COST_MAP=True "$venv/bin/python" -c '
import agentlightning
from agentlightning import AgentOpsTracer, LightningStoreClient, LitAgentRunner, Trainer
from importlib.metadata import version
assert agentlightning.__version__ == "0.3.0", agentlightning.__version__
assert version("opentelemetry-sdk").startswith("1.39."), version("opentelemetry-sdk")
' >&2

echo "$want" > "$stamp"
echo "$venv/bin/python"
