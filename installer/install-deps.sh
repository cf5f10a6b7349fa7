#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages Retry Lab needs to build, run and test, and only those that are
# missing: Debian 12 (bookworm, Qt 6.4) or Debian 13 (trixie, Qt 6.8). Idempotent and quiet
# when everything is there. Uses sudo when not root.
set -euo pipefail

packages=(
    cmake ninja-build g++
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev
    qt6-svg-dev qt6-qpa-plugins libgl-dev
    xvfb xauth
    dpkg-dev file desktop-file-utils appstream
    openssl
    clang                   # the libFuzzer targets (the fuzz preset, tests/fuzz/)
    python3 python3-locust  # tst_locust_parity and tst_locust_run (Debian's Python, by full path)
    # tst_client_exam: real clients sit the built-in server's exam
    curl wget python3-urllib3 python3-requests python3-tenacity
)

# The names that differ between releases. Debian 12 ships Qt OpenGL's development files in a
# package of their own; Debian 13 has them in qt6-base-dev. An unknown release gets whichever
# of the names its archive knows.
version=""
[ -r /etc/os-release ] && version=$(. /etc/os-release && echo "${VERSION_ID:-}")
case "$version" in
    12) packages+=(libqt6opengl6-dev) ;;
    13) ;;
    *)
        if apt-cache policy libqt6opengl6-dev 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            packages+=(libqt6opengl6-dev)
        fi
        ;;
esac

run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
updated=0
install_missing() {
    local missing=() p status
    for p in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [ "$status" = "installed" ] || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}" >&2
    [ $updated -eq 1 ] || run apt-get update -qq
    updated=1
    run apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"

# libFuzzer and the sanitizer runtimes for the clang that is installed: libclang-rt-14-dev on
# Debian 12, libclang-rt-19-dev on Debian 13. Derived from `clang --version` so that the two
# always match, whichever clang the release (or the admin) made the default.
clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
if [ -z "$clang_major" ]; then
    echo "install-deps: cannot tell the version of clang (clang --version)" >&2
    exit 1
fi
install_missing "libclang-rt-${clang_major}-dev"
