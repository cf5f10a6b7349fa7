#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb and .tar.gz from a build tree, unpacks them, and checks what a person would
# get: the layout, the desktop entry, the AppStream metadata, and programs that run.
# Usage: installer/test-package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$build"
cpack -G "DEB;TGZ" -B "$work/pkg" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/pkg/retrylab_*_*.deb 2>/dev/null | head -1)
tgz=$(ls "$work"/pkg/retrylab-*.tar.gz 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no retrylab_*.deb in $(ls "$work/pkg")"
[ -n "$tgz" ] || fail "no retrylab-*.tar.gz in $(ls "$work/pkg")"
echo "built $(basename "$deb") and $(basename "$tgz")"

info=$(dpkg-deb --info "$deb")
grep -q "^ Section: net" <<<"$info" || fail "section is not net"
grep -q "^ Maintainer: " <<<"$info" || fail "no maintainer"
grep -Eq "^ Depends: .*libqt6core6" <<<"$info" || fail "Depends does not come from dpkg-shlibdeps: $info"
grep -Eq "^ Depends: .*qt6-qpa-plugins" <<<"$info" || fail "Depends lacks the platform plugins"

root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/retrylab usr/bin/retrylab-mock \
         usr/share/applications/org.retrylab.RetryLab.desktop \
         usr/share/metainfo/org.retrylab.RetryLab.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/org.retrylab.RetryLab.svg \
         usr/share/icons/hicolor/48x48/apps/org.retrylab.RetryLab.png \
         usr/share/icons/hicolor/256x256/apps/org.retrylab.RetryLab.png \
         usr/share/retrylab/scenarios/flaky-demo.json \
         usr/share/retrylab/profiles/flaky-503.json \
         usr/share/retrylab/locust/retrylab_locust/retry_policy.py \
         usr/share/man/man1/retrylab.1 usr/share/man/man1/retrylab-mock.1 \
         usr/share/doc/RetryLab/LICENSE; do
    [ -e "$root/$f" ] || fail "missing /$f"
done
version=$(sed -n 's/^project(RetryLab$//;s/^ *VERSION \([0-9.]*\)$/\1/p' "$src/CMakeLists.txt" | head -1)
grep -q "version=\"$version\"" "$root/usr/share/metainfo/org.retrylab.RetryLab.metainfo.xml" \
    || fail "the metainfo does not carry version $version"
grep -q "Retry Lab $version" "$root/usr/share/man/man1/retrylab.1" || fail "man page version"
echo "layout: ok (version $version)"

desktop-file-validate "$root/usr/share/applications/org.retrylab.RetryLab.desktop" \
    || fail "desktop entry"
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$root/usr/share/metainfo/org.retrylab.RetryLab.metainfo.xml" \
        >/dev/null || fail "metainfo"
    echo "metainfo: ok"
fi

"$root/usr/bin/retrylab-mock" --version | grep -q "retrylab-mock 0" || fail "retrylab-mock --version"
"$root/usr/bin/retrylab" --version 2>/dev/null | grep -q "retrylab 0" || fail "retrylab --version"
out=$("$root/usr/bin/retrylab" --headless --simulated \
      --scenario "$root/usr/share/retrylab/scenarios/flaky-demo.json" 2>/dev/null) \
    || fail "headless run from the package"
grep -q "^operations: 200" <<<"$out" || fail "unexpected headless output: $out"
# A ready scenario by name, wherever the program runs from.
"$root/usr/bin/retrylab" --headless --simulated --scenario flaky-demo >/dev/null 2>&1 \
    || fail "a ready scenario by name"
echo "programs from the package: ok"

mkdir "$work/tgz"
tar -xzf "$tgz" -C "$work/tgz"
ls "$work"/tgz/*/bin/retrylab >/dev/null || fail "the tarball has no bin/retrylab"
echo "tarball: ok"
echo "1 passed, 0 failed"
