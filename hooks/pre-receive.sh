#!/bin/sh
# evalgate-hook: written by `evalgate install`; `evalgate uninstall` removes it.
#
# Checks the eval.yaml and .eval_results/*.yaml files of every push and
# rejects the push when one is invalid. If the program is gone, the hook
# rejects every push rather than let files through unchecked.
evalgate=@EVALGATE@
# The hook that was here before evalgate (`install --chain`), if any.
chained=@CHAINED@
prefix=
if [ -n "$GL_ID$GL_PROTOCOL" ]; then prefix="GL-HOOK-ERR: "; fi
missing() {
    echo "${prefix}evalgate: the hook program $1 is missing, so this push cannot be checked." >&2
    echo "${prefix}evalgate: rejecting it; ask the server's operator to reinstall evalgate." >&2
    exit 2
}
if [ ! -x "$evalgate" ]; then missing "$evalgate"; fi
if [ -z "$chained" ]; then
    exec "$evalgate" pre-receive@ARGS@
fi

# Both hooks read the same ref updates, so keep them; the earlier hook runs
# first and its refusal stands.
if [ ! -x "$chained" ]; then missing "$chained"; fi
updates=$(cat)
printf '%s\n' "$updates" | "$chained" || exit $?
printf '%s\n' "$updates" | "$evalgate" pre-receive@ARGS@
