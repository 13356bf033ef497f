#!/bin/sh
# Install dapreturn from this offline bundle: no network, no admin rights.
#
#   sh install.sh                 user install: ~/.local/share/dapreturn-venv, ~/.local/bin/dapreturn
#   sh install.sh --portable      everything in this folder (venv/, dapreturn-data/, returns/)
#
# Options:
#   --portable       install beside this script and write the dapreturn-portable marker, so keys,
#                    drafts and settings stay in ./dapreturn-data; start with ./dapreturn
#   --venv DIR       where to make the virtual environment (not with --portable)
#   --python EXE     the Python to use (default: the newest python3.1x this bundle has wheels for)
#   --no-link        do not link ~/.local/bin/dapreturn
#   --no-ensurepip   make the environment with the bundle's pip wheel instead of ensurepip
#                    (done anyway when this Python has no ensurepip, e.g. Debian without
#                    python3-venv)
#
# Running it again upgrades (or repairs) the installation; data is never touched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
wheels="$here/wheels"
portable=0
venv=""
python=""
link=1
ensurepip=1

say() { printf '%s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --portable) portable=1 ;;
    --venv) [ $# -ge 2 ] || fail "--venv needs a folder"; venv=$2; shift ;;
    --python) [ $# -ge 2 ] || fail "--python needs a program"; python=$2; shift ;;
    --no-link) link=0 ;;
    --no-ensurepip) ensurepip=0 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
  shift
done

[ "$portable" = 1 ] && [ -n "$venv" ] && fail "--portable installs into ./venv beside this script; leave out --venv"
[ -d "$wheels" ] || fail "no wheels folder beside this script ($wheels)"
[ -f "$here/manifest.json" ] || fail "no manifest.json beside this script"
[ -f "$here/requirements.txt" ] || fail "no requirements.txt beside this script"

# Prints the bundle's version if this Python is one the bundle has wheels for; fails otherwise.
check_python() {
  "$1" - "$here/manifest.json" <<'EOF' 2>/dev/null
import json, sys
manifest = json.load(open(sys.argv[1], encoding="utf-8"))
mine = "%d.%d" % sys.version_info[:2]
if mine not in manifest["pythons"]:
    sys.exit(1)
print(manifest["version"])
EOF
}

if [ -n "$python" ]; then
  version=$(check_python "$python") || fail "$python is not a Python this bundle has wheels for (see README.txt)"
else
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && version=$(check_python "$candidate"); then
      python=$candidate
      break
    fi
  done
  [ -n "$python" ] || fail "no suitable Python found; this bundle needs one of the versions in README.txt"
fi

if [ -z "$venv" ]; then
  if [ "$portable" = 1 ]; then
    venv="$here/venv"
  else
    venv="${XDG_DATA_HOME:-$HOME/.local/share}/dapreturn-venv"
  fi
fi

# Offline, whatever the user's pip configuration says.
PIP_NO_INDEX=1
PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_NO_INDEX PIP_DISABLE_PIP_VERSION_CHECK

make_venv() {
  if [ "$ensurepip" = 1 ] && "$python" -m venv --clear "$venv" >/dev/null 2>&1; then
    return 0
  fi
  say "Making the environment with the bundle's pip wheel."
  "$python" -m venv --clear --without-pip "$venv" || fail "could not make $venv"
  set -- "$wheels"/pip-*.whl
  [ -f "$1" ] || fail "no pip wheel in $wheels"
  "$venv/bin/python" "$1/pip" install --quiet --no-index --find-links "$wheels" pip \
    || fail "could not install pip into $venv"
}

if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ] && [ -n "$(ls -A "$venv" 2>/dev/null)" ]; then
  fail "$venv is a folder with files that is not a virtual environment; not touching it"
fi

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  say "Upgrading the existing environment in $venv"
else
  say "Making a virtual environment in $venv with $python"
  mkdir -p "$(dirname "$venv")"
  make_venv
fi

# Exactly the wheels this bundle holds: every package pinned, every wheel's SHA-256 checked.
"$venv/bin/python" -m pip install --quiet --no-index --find-links "$wheels" --upgrade \
  --require-hashes -r "$here/requirements.txt" || fail "installing dapreturn from $wheels failed"
"$venv/bin/python" -m dapreturn --version >/dev/null || fail "dapreturn does not start"
# What the bundle held, for `dapreturn --version --verbose` to check the installation against.
cp "$here/manifest.json" "$venv/dapreturn-bundle.json" || fail "could not copy manifest.json into $venv"

if [ "$portable" = 1 ]; then
  : > "$here/dapreturn-portable"
  cat > "$here/dapreturn" <<'EOF'
#!/bin/sh
# Start the portable dapreturn in this folder (works wherever the folder is mounted).
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/venv/bin/python" -m dapreturn "$@"
EOF
  chmod +x "$here/dapreturn"
  say "Installed dapreturn $version for portable use in $here"
  say "Keys, drafts and settings are kept in $here/dapreturn-data."
  say "Start it with: $here/dapreturn   (or: $here/dapreturn fill --plain)"
  exit 0
fi

command_path="$venv/bin/dapreturn"
if [ "$link" = 1 ]; then
  mkdir -p "$HOME/.local/bin"
  ln -sf "$venv/bin/dapreturn" "$HOME/.local/bin/dapreturn"
  command_path="$HOME/.local/bin/dapreturn"
  case ":$PATH:" in
    *":$HOME/.local/bin:"*) command_path=dapreturn ;;
    *) say "Note: $HOME/.local/bin is not on your PATH; add it, or run $command_path" ;;
  esac
fi
say "Installed dapreturn $version in $venv"
say "Start it with: $command_path   (or: $command_path fill --plain)"
