# Headless Chromium for the web page's browser test, from Debian's packages. Source this file, then
# `chromium_install`: installs `chromium`, `chromium-driver` (and a font) unless both binaries are
# there already, and exports BILLBOT_TEST_BROWSER=required so the test fails, rather than skips,
# should the browser still be missing. No browser build is downloaded by the tests themselves.

chromium_install() {
    local started=$SECONDS
    if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
        echo "chromium: installing Debian's chromium and chromium-driver"
        local sudo=()
        if [ "$(id -u)" -ne 0 ]; then
            sudo=(sudo -n)
        fi
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            chromium chromium-driver fonts-dejavu-core >/dev/null
    fi
    export BILLBOT_TEST_BROWSER=required
    echo "chromium: $(chromium --version 2>/dev/null | head -n 1), ready in $((SECONDS - started)) s"
}
