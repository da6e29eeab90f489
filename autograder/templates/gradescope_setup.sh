#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04 base image):
# Python 3.11 in a venv, the pinned packages of requirements.txt (torch CPU build), the grader, and an
# unprivileged `student` user that runs student code. Made by `python -m autograder gradescope-bundle`.
set -euo pipefail
cd "$(dirname "$0")"
VENV=/opt/autograd-by-hand/venv
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1

apt-get update -qq
if ! apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv; then
  apt-get install -y -qq --no-install-recommends software-properties-common
  add-apt-repository -y ppa:deadsnakes/ppa
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv
fi

python3.11 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# torch's CPU build comes from PyTorch's own index (PyPI's Linux wheel is the much larger CUDA build).
"$VENV/bin/python" -m pip install --quiet --index-url https://download.pytorch.org/whl/cpu \
    "$(grep -i '^torch==' requirements.txt)"
"$VENV/bin/python" -m pip install --quiet -r requirements.txt
"$VENV/bin/python" -m pip install --quiet --no-deps ./grader

id -u student >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin student
# Only root (the grader) may read the secret and the autograder's files; student code runs as `student`.
chmod 600 secret
chmod 700 /autograder/source 2>/dev/null || true
"$VENV/bin/python" -m autograder list >/dev/null
echo "autograder ready: $("$VENV/bin/python" -c 'import autograder, torch; print(autograder.__version__, torch.__version__)')"
