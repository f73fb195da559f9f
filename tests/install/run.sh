#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The installed package, as another program sees it:
#   run.sh BUILD_DIR SOURCE_DIR
# installs BUILD_DIR into a fresh prefix, moves the prefix (truce.pc must
# be relocatable), builds examples/ensemble.c with nothing but
# `pkg-config --cflags --libs truce`, checks that it links the shared
# libtruce.so.MAJOR and prints examples/ensemble.out; then the installed
# truce writes a report with the installed web assets (found from its own
# location, not from the build tree).
set -eu
BUILD=$1
SRC=$2
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "install: $*" >&2; exit 1; }

cmake --install "$BUILD" --prefix "$T/first" >/dev/null
mv "$T/first" "$T/prefix"
P=$T/prefix
pc=$(find "$P" -name truce.pc)
[ -n "$pc" ] || fail "no truce.pc installed"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs truce)
case $flags in *"$T/first"*) fail "truce.pc names the install prefix: $flags";; esac
# shellcheck disable=SC2086
"$CC" -std=c11 -Wall -Wextra -Werror -o "$T/ensemble" \
  "$SRC/examples/ensemble.c" $flags
libdir=$(pkg-config --variable=libdir truce)
readelf -d "$T/ensemble" | grep -q 'NEEDED.*\[libtruce\.so\.[0-9]*\]' ||
  fail "the example does not link the shared libtruce.so"
readelf -d "$libdir/libtruce.so" | grep -q 'SONAME.*\[libtruce\.so\.[0-9]*\]' ||
  fail "libtruce.so has no SONAME"
if nm -D --defined-only "$libdir/libtruce.so" | grep -q ' truce__'; then
  fail "libtruce.so exports internal (truce__) symbols"
fi
LD_LIBRARY_PATH=$libdir "$T/ensemble" >"$T/ensemble.txt" ||
  fail "the example failed"
diff -u "$SRC/examples/ensemble.out" "$T/ensemble.txt" ||
  fail "the example's output differs from examples/ensemble.out"

# The installed truce and its web assets: mark the installed report.js,
# so the report proves which copy it inlined.
web=$(find "$P" -path '*/truce/web/report.js')
[ -n "$web" ] || fail "web/report.js is not installed"
echo "/* installed copy */" >>"$web"
unset TRUCE_WEB_DIR
"$P/bin/truce" run "$SRC/scenarios/historical/iwo-jima-1945.yaml" --runs 8 \
  --quiet --out "$T/out" >/dev/null 2>"$T/stderr" ||
  fail "installed truce run failed: $(cat "$T/stderr")"
[ ! -s "$T/stderr" ] || fail "installed truce run warned: $(cat "$T/stderr")"
grep -q "installed copy" "$T/out/report.html" ||
  fail "the installed truce did not use the installed web assets"
grep -q "vega-embed" "$T/out/report.html" || fail "the report lacks Vega"
echo "install: ok"
