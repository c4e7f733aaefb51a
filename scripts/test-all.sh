#!/usr/bin/env bash
# The whole test suite, as CI runs it (CI adds `cargo fmt --check` and clippy):
#
#   bash scripts/test-all.sh
#
# 1. Rust tests: cargo nextest (if installed) + doc tests, else cargo test
# 2. release build (target/release/precis)
# 3. buf lint of proto/ (buf from npm, pinned, in .venv-ci/npm/)
# 4. hadolint of the Dockerfile, Kubernetes manifest validation, checkov scan
#    of deploy/ (.venv-ci/)
# 5. the outside-client test: Python grpcio against the release binary (.venv-test/)
#
# Needs cargo, python3 (with venv) and npm; installs the rest itself into
# .venv-ci/ and .venv-test/ (gitignored), once: later runs reuse them. Stops at
# the first failing step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

BUF_VERSION=1.75.0
# Kubernetes versions the manifests must be valid for: the oldest supported
# (preStop `sleep` needs 1.30) and the newest kubernetes-validate knows.
K8S_VERSIONS=(1.30.0 1.37.0)

STEP=0
declare -a TIMES=()
step() {
  STEP=$((STEP + 1))
  STEP_NAME=$1
  STEP_START=$SECONDS
  printf '\n==> [%d/5] %s\n' "$STEP" "$STEP_NAME"
}
step_done() {
  TIMES+=("$(printf '%4ds  %s' $((SECONDS - STEP_START)) "$STEP_NAME")")
}
trap 'rc=$?; if [ $rc -ne 0 ]; then printf "\n==> FAILED at step %d: %s (exit %d)\n" "$STEP" "${STEP_NAME:-setup}" "$rc" >&2; fi' EXIT

# Creates (or reuses) a venv at $1 with the pinned requirements file $2;
# reinstalls only when the requirements file changed.
ensure_venv() {
  local venv=$1 req=$2 stamp
  stamp="$venv/.requirements.sha256"
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && sha256sum --status -c "$stamp" 2>/dev/null; then
    return 0
  fi
  echo "setting up $venv from $req"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req"
  sha256sum "$req" > "$stamp"
}

# ---------------------------------------------------------------------------
step "Rust tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --all-targets --no-fail-fast
  cargo test --doc
else
  cargo test --all-targets
fi
step_done

# ---------------------------------------------------------------------------
step "Release build"
cargo build --release --locked
step_done

# ---------------------------------------------------------------------------
step "buf lint (proto/)"
BUF="$ROOT/.venv-ci/npm/node_modules/.bin/buf"
if [ "$("$BUF" --version 2>/dev/null)" != "$BUF_VERSION" ]; then
  echo "installing @bufbuild/buf@$BUF_VERSION into .venv-ci/npm"
  npm install --prefix "$ROOT/.venv-ci/npm" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "@bufbuild/buf@$BUF_VERSION"
fi
"$BUF" lint
"$BUF" format --diff --exit-code
echo "buf lint: ok"
step_done

# ---------------------------------------------------------------------------
step "Deploy: hadolint, kubernetes-validate, checkov"
ensure_venv "$ROOT/.venv-ci" deploy/requirements-ci.txt
"$ROOT/.venv-ci/bin/hadolint" deploy/Dockerfile
echo "hadolint deploy/Dockerfile: ok"
# Everything but the kustomization (not a Kubernetes object) and the
# ServiceMonitor (a CRD: no schema without the operator's definitions).
mapfile -t MANIFESTS < <(ls deploy/k8s/*.yaml | grep -v -e '/kustomization.yaml$' -e '/servicemonitor.yaml$')
for v in "${K8S_VERSIONS[@]}"; do
  "$ROOT/.venv-ci/bin/kubernetes-validate" --strict --quiet -k "$v" "${MANIFESTS[@]}"
  echo "kubernetes-validate --strict -k $v: ${#MANIFESTS[@]} files ok"
done
"$ROOT/.venv-ci/bin/python" - deploy/k8s/kustomization.yaml deploy/k8s/servicemonitor.yaml <<'PY'
# The two files without a schema: check they parse and name what they must.
import sys, os, yaml
for path in sys.argv[1:]:
    with open(path) as f:
        doc = yaml.safe_load(f)
    assert isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind"), path
    if doc["kind"] == "Kustomization":
        for r in doc.get("resources", []):
            assert os.path.isfile(os.path.join(os.path.dirname(path), r)), f"{path}: missing {r}"
print("kustomization.yaml, servicemonitor.yaml: parse ok")
PY
# --skip-download: no calls to the vendor's platform (offline, reproducible).
"$ROOT/.venv-ci/bin/checkov" --directory deploy --framework dockerfile kubernetes \
  --skip-download --compact --quiet
echo "checkov: no failed checks"
step_done

# ---------------------------------------------------------------------------
step "Outside-client test (Python grpcio)"
if [ ! -f tests/data/seed-article.txt ]; then
  echo "tests/data/seed-article.txt is missing" >&2
  exit 1
fi
ensure_venv "$ROOT/.venv-test" tests/python/requirements.txt
PRECIS_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/precis" "$ROOT/.venv-test/bin/python" -m pytest tests/python -p no:cacheprovider
step_done

echo
echo "==> all steps passed"
printf '%s\n' "${TIMES[@]}"
