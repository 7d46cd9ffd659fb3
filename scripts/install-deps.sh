#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing, packaging and running the demo of
# Facet Studio need. Safe to run again: it only calls apt-get when something is missing, and
# refreshes the package lists only then.
set -euo pipefail

packages=(
    # toolchain
    cmake g++ make pkg-config
    # Qt 6.4 (widgets, lupdate/lrelease, Qt's own translations for standard dialogs)
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-translations-l10n libgl-dev
    # libraries the core links
    libopencv-dev nlohmann-json3-dev libarchive-dev libsqlite3-dev libcurl4-openssl-dev
    # GIF (OpenCV 4.6 has no GIF decoder)
    libgif-dev
    # API keys in the OS keychain (optional in CMake; installed so every machine builds the same)
    qtkeychain-qt6-dev
    # fuzzing (scripts/fuzz.sh): clang with libFuzzer and its sanitizer runtimes
    clang libclang-rt-14-dev
    # formatting check (scripts/check-format.sh)
    clang-format
    # headless GUI tests, screenshots and the demo
    xvfb xauth xdotool imagemagick
    # building and inspecting the .deb (dpkg-shlibdeps comes with dpkg-dev)
    dpkg-dev file
    # validating the desktop entry and the AppStream metadata in CI
    desktop-file-utils appstream
    # wall and CPU time of the sanitizer steps (scripts/sanitize.sh)
    time
    # fonts: Latin UI and the Simplified Chinese translation
    fonts-dejavu-core fonts-noto-cjk
)

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
