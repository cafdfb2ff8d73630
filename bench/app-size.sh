#!/bin/bash
# Usage: bench/app-size.sh [floor] (from anywhere; PATH needs wasm-bindgen 0.2.130). Figures in bench/APP-SIZE.md.
# With `floor`, only the named packages' own floor (bench/app-floor), added to the results.
# Builds the app in variants and measures the wasm gzipped (after wasm-bindgen; with and without wasm-opt -Oz).
cd "$(dirname "$0")/.."
measure() { # name [wasm as rustc wrote it]
  local w=${2:-${SIZE_TARGET:-target/size}/wasm32-unknown-unknown/release/jf-app.wasm}
  rm -rf /tmp/sz-$1 && mkdir /tmp/sz-$1
  wasm-bindgen --target web --out-name app --out-dir /tmp/sz-$1 $w
  local raw=$(stat -c%s /tmp/sz-$1/app_bg.wasm) rawgz=$(gzip -9c /tmp/sz-$1/app_bg.wasm | wc -c)
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals -o /tmp/sz-$1/opt.wasm /tmp/sz-$1/app_bg.wasm
  local opt=$(stat -c%s /tmp/sz-$1/opt.wasm) optgz=$(gzip -9c /tmp/sz-$1/opt.wasm | wc -c)
  echo "$1 bindgen_raw=$raw bindgen_gz=$rawgz oz_raw=$opt oz_gz=$optgz" >> bench/app-size-results.txt
}
build() { # name, env...
  local name=$1; shift
  env "$@" CARGO_TARGET_DIR=${SIZE_TARGET:-target/size} nice -n 5 cargo build --release -p jf-app --target wasm32-unknown-unknown -q && measure $name
}
# The named packages' own floor (bench/app-floor): built with the workspace's Cargo.lock, the same
# release profile and flags as the portal (`cargo xtask build`), in the same target directory.
floor() {
  cp Cargo.lock bench/app-floor/Cargo.lock
  (cd bench/app-floor && RUSTFLAGS="--cfg erase_components" CARGO_TARGET_DIR=../../target \
    nice -n 5 cargo build --release --target wasm32-unknown-unknown -q --offline) &&
    measure floor target/wasm32-unknown-unknown/release/jf-app-floor.wasm
}
if [ "$1" = floor ]; then floor; exit; fi
: > bench/app-size-results.txt
build erase_z_lto RUSTFLAGS="--cfg erase_components"
build noerase_z_lto RUSTFLAGS=""
build erase_s_lto RUSTFLAGS="--cfg erase_components" CARGO_PROFILE_RELEASE_OPT_LEVEL=s
build erase_z_nolto RUSTFLAGS="--cfg erase_components" CARGO_PROFILE_RELEASE_LTO=false
echo done >> bench/app-size-results.txt
