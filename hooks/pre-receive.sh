#!/bin/sh
# evalgate-hook: written by `evalgate install`; `evalgate uninstall` removes it.
#
# Checks the eval.yaml and .eval_results/*.yaml files of every push and
# rejects the push when one is invalid. If the program is gone, the hook
# rejects every push rather than let files through unchecked.
evalgate=@EVALGATE@
if [ ! -x "$evalgate" ]; then
    prefix=
    if [ -n "$GL_ID$GL_PROTOCOL" ]; then prefix="GL-HOOK-ERR: "; fi
    echo "${prefix}evalgate: the hook program $evalgate is missing, so this push cannot be checked." >&2
    echo "${prefix}evalgate: rejecting it; ask the server's operator to reinstall evalgate." >&2
    exit 2
fi
exec "$evalgate" pre-receive@ARGS@
