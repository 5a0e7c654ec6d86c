#!/bin/sh
# evalgate-hook: written by `evalgate install`; `evalgate uninstall` removes it.
#
# Updates the leaderboard pages a push touched. A post-receive hook cannot
# reject a push, so a missing program is reported and the push stands.
evalgate=@EVALGATE@
if [ ! -x "$evalgate" ]; then
    echo "evalgate: the hook program $evalgate is missing; the leaderboard was not updated." >&2
    exit 0
fi
exec "$evalgate" post-receive@ARGS@
