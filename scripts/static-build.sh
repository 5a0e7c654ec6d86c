#!/usr/bin/env bash
# Builds evalgate as one static executable, for servers whose hooks run in a
# bare chroot (GitHub Enterprise Server's pre-receive environments) or that
# lack the build machine's glibc, and checks that it needs nothing around it.
#
#   scripts/static-build.sh                    build, check, print the path
#   scripts/static-build.sh --ghes-env OUT.tar.gz
#                                              also pack a GitHub Enterprise
#                                              pre-receive environment
#
# The check runs the binary in an empty folder through chroot (as root), on
# a results file and as a pre-receive hook on a repository with no git
# installed around it. See docs/servers/github-enterprise.md.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-unknown-linux-gnu
bin="target/$target/release/evalgate"
ghes_env=
if [ "${1:-}" = --ghes-env ]; then
    ghes_env=${2:?"--ghes-env needs the tarball to write"}
fi

# glibc linked statically; the musl target is not needed (nor installable
# offline). getaddrinfo and NSS are never called, so glibc's static warnings
# about them do not apply.
RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --locked --target "$target"

echo "== is it static?"
if command -v file >/dev/null; then
    file -L "$bin"
    file -L "$bin" | grep -q 'static' || { echo "not static: $bin" >&2; exit 1; }
fi
if ldd "$bin" 2>&1 | grep -Eq 'not a dynamic executable|statically linked'; then
    echo "ldd: $(ldd "$bin" 2>&1 | head -n1 | sed 's/^[[:space:]]*//')"
else
    echo "ldd lists libraries for $bin:" >&2
    ldd "$bin" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null; then
    echo "== does it run in an empty root?"
    root="$work/root"
    mkdir -p "$root"
    cp "$bin" "$root/evalgate"
    printf -- '- dataset:\n    id: cais/hle\n    task_id: hle\n  value: "twenty"\n' > "$root/bad.yaml"
    status=0
    chroot "$root" /evalgate check --as eval-results /bad.yaml > "$work/check.out" || status=$?
    grep -q 'value-not-number' "$work/check.out" && [ "$status" = 1 ] || {
        cat "$work/check.out" >&2; echo "check in the empty root: status $status" >&2; exit 1
    }
    echo "check: status 1, value-not-number found"

    # A bare repository inside the root holding a bad commit, checked the
    # way a server runs the hook; git itself is only used outside the root.
    git init --quiet --bare "$root/repo.git"
    tree=$(mkdir -p "$work/t/.eval_results" && cp "$root/bad.yaml" "$work/t/.eval_results/" &&
        git --git-dir="$root/repo.git" --work-tree="$work/t" add -A &&
        git --git-dir="$root/repo.git" write-tree)
    commit=$(git --git-dir="$root/repo.git" -c user.name=ci -c user.email=ci@example.invalid \
        commit-tree -m bad "$tree")
    zero=0000000000000000000000000000000000000000
    status=0
    echo "$zero $commit refs/heads/main" |
        env -i GIT_DIR=/repo.git "$(command -v chroot)" "$root" /evalgate pre-receive \
            > "$work/hook.out" 2>&1 || status=$?
    grep -q 'value-not-number' "$work/hook.out" && [ "$status" = 1 ] || {
        cat "$work/hook.out" >&2; echo "pre-receive in the empty root: status $status" >&2; exit 1
    }
    echo "pre-receive: status 1, the push would be rejected"
else
    echo "== not root: skipped running the binary in an empty root (needs chroot)"
fi

if [ -n "$ghes_env" ]; then
    # GitHub Enterprise needs /bin/sh in the environment; busybox-static's is
    # one file.
    busybox=$(command -v busybox || true)
    if [ -z "$busybox" ] || ! file -L "$busybox" | grep -q static; then
        echo "--ghes-env needs a static busybox: apt-get install busybox-static" >&2
        exit 1
    fi
    env_root="$work/ghes"
    mkdir -p "$env_root/bin" "$env_root/usr/local/bin" "$env_root/tmp"
    cp "$busybox" "$env_root/bin/busybox"
    ln -s busybox "$env_root/bin/sh"
    cp "$bin" "$env_root/usr/local/bin/evalgate"
    tar -C "$env_root" -czf "$ghes_env" .
    echo "== wrote $ghes_env ($(du -h "$ghes_env" | cut -f1))"

    if [ -n "${root:-}" ]; then
        # The hook script of docs/servers/github-enterprise.md, run in the
        # unpacked environment on the repository checked above.
        unpacked="$work/unpacked"
        mkdir -p "$unpacked"
        tar -C "$unpacked" -xzf "$ghes_env"
        cp -r "$root/repo.git" "$unpacked/repo.git"
        status=0
        echo "$zero $commit refs/heads/main" |
            env -i GIT_DIR=/repo.git "$(command -v chroot)" "$unpacked" /bin/sh -c \
                'exec /usr/local/bin/evalgate pre-receive 2>&1' > "$work/ghes.out" || status=$?
        grep -q 'value-not-number' "$work/ghes.out" && [ "$status" = 1 ] || {
            cat "$work/ghes.out" >&2; echo "the GHES hook script: status $status" >&2; exit 1
        }
        echo "GHES hook script in the unpacked environment: status 1, findings on stdout"
    fi
fi

echo "== $bin ($(du -h "$bin" | cut -f1))"
