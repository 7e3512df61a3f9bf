# Shared helpers for pqshift's scripts. Sourced, not run.
# shellcheck shell=bash

PQSHIFT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PQSHIFT_ROOT
# One shared target directory: every crate is built once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PQSHIFT_ROOT/target}"
export PQSHIFT_VECTORS="${PQSHIFT_VECTORS:-$PQSHIFT_ROOT/../shared/vectors}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

apt_updated=""
# apt_install PKG...: installs Debian packages (root, or sudo when available).
apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: $*"
        sudo="sudo"
    fi
    if [ -z "$apt_updated" ]; then
        $sudo apt-get update -qq || die "apt-get update failed"
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" \
        || die "apt-get install $* failed"
}

# need_cmd CMD PKG: installs Debian package PKG when CMD is missing.
need_cmd() {
    command -v "$1" >/dev/null 2>&1 && return 0
    step "installing $2 (for $1)"
    apt_install "$2"
}

# any_exists PATH...: true when at least one of the (already glob-expanded) paths exists.
any_exists() {
    local p
    for p in "$@"; do [ -e "$p" ] && return 0; done
    return 1
}

ensure_rust() {
    command -v cargo >/dev/null 2>&1 \
        || die "cargo not found: install Rust (stable >= 1.80) with rustup first"
    # rustfmt and clippy come with the default rustup profile; add them when missing.
    if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
        if command -v rustup >/dev/null 2>&1; then
            rustup component add rustfmt clippy || die "rustup could not add rustfmt/clippy"
        else
            die "cargo fmt / cargo clippy missing and no rustup to add them"
        fi
    fi
}

# liboqs is built from source (static, through the `oqs` crate): it needs
# cmake, a C compiler, and libclang for bindgen (the shared library and
# clang's built-in headers). Debian: cmake, gcc, libclang-dev.
ensure_native_build_deps() {
    need_cmd cc gcc
    need_cmd cmake cmake
    local have_lib="" have_hdr=""
    if any_exists "${LIBCLANG_PATH:-/nonexistent}"/libclang*.so* /usr/lib/llvm-*/lib/libclang*.so* \
        /usr/lib/*-linux-gnu/libclang*.so*; then
        have_lib=1
    fi
    if any_exists /usr/lib/llvm-*/lib/clang/*/include/limits.h /usr/lib/clang/*/include/limits.h; then
        have_hdr=1
    fi
    if [ -z "$have_lib" ] || [ -z "$have_hdr" ]; then
        step "installing libclang-dev (bindgen needs libclang and clang's headers to build liboqs)"
        apt_install libclang-dev
    fi
}

# The interop tests run pyca/cryptography (>= 48: ML-DSA, ML-KEM) in python3.
# When the machine's python3 lacks it, a virtualenv under the target
# directory gets cryptography==48.0.0 from PyPI and goes first on PATH.
PYCA_VERSION="48.0.0"
have_pyca() {
    "$1" -c 'import sys, cryptography; sys.exit(0 if int(cryptography.__version__.split(".")[0]) >= 48 else 1)' \
        >/dev/null 2>&1
}
ensure_python_cryptography() {
    need_cmd python3 python3
    have_pyca python3 && return 0
    local venv="$CARGO_TARGET_DIR/interop-venv"
    if ! have_pyca "$venv/bin/python3"; then
        step "installing cryptography==$PYCA_VERSION into $venv (interop tests)"
        if ! python3 -m venv "$venv" >/dev/null 2>&1; then
            apt_install python3-venv
            python3 -m venv "$venv" || die "cannot create a virtualenv at $venv"
        fi
        "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check \
            "cryptography==$PYCA_VERSION" || die "pip install cryptography==$PYCA_VERSION failed"
    fi
    export PATH="$venv/bin:$PATH"
    have_pyca python3 || die "python3 on PATH still lacks cryptography>=48"
}

# Environment for `cargo install` of the pinned test tools (cbindgen,
# cargo-deny, cargo-audit): the tools run for seconds, so their build trades
# run-time speed for build time on a fresh 2-core machine (no LTO, parallel
# codegen, opt-level 1). Only used when a tool is missing.
tool_install_env() {
    env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false "$@"
}

# tool_version SUBCOMMAND: the version `cargo SUBCOMMAND --version` prints, or nothing.
tool_version() { cargo "$1" --version 2>/dev/null | awk '{ print $2 }' || true; }

# ensure_cargo_tool CRATE VERSION: cargo install --locked, only when missing or at another version.
ensure_cargo_tool() {
    local crate="$1" version="$2" have build t0
    have="$(tool_version "${crate#cargo-}")"
    [ "$have" = "$version" ] && return 0
    step "installing $crate $version (found: ${have:-none}); this builds from source"
    build="$(mktemp -d "${TMPDIR:-/tmp}/pqshift-tool-build.XXXXXX")"
    t0=$(date +%s)
    if ! CARGO_TARGET_DIR="$build" tool_install_env cargo install --locked --version "$version" "$crate"; then
        rm -rf "$build"
        die "cargo install --locked --version $version $crate failed"
    fi
    rm -rf "$build"
    echo "$crate $version installed in $(( $(date +%s) - t0 ))s"
    [ "$(tool_version "${crate#cargo-}")" = "$version" ] \
        || die "$crate $version installed but \`cargo ${crate#cargo-} --version\` does not report it (is \$CARGO_HOME/bin first on PATH?)"
}
