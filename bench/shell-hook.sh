#!/bin/sh
# The baseline: evalgate's job done the way a careful operator would script
# it with git alone (POSIX sh, git, awk).
#
# For each pushed branch or tag (deletions and other refs are let through):
# compare the new tip with the old one, or for a new ref with where it
# forked from HEAD (the empty tree when it shares no history); list the
# changed eval files with one `git diff-tree` limited to the pathspec
# `eval.yaml .eval_results`; read every changed blob through one
# `git cat-file --batch`, and judge it with one awk program.
#
# The judgement is deliberately shallow: a non-regular file (symbolic link,
# submodule) is an error; eval.yaml must have a `tasks:` line; a results
# file must have `dataset:` and `value:` lines and no quoted `value:`. It
# does not parse YAML, report lines or columns, check more than one file
# format rule, or catch a failure of an earlier stage of the pipeline (sh
# has no pipefail). Exit 0 accepts, 1 rejects.
export LC_ALL=C
zero=0000000000000000000000000000000000000000
empty_tree=4b825dc642cb6eb9a060e54bf8d69288fbee4904

while read -r old new ref; do
    case $new in *[!0]*) ;; *) continue ;; esac        # a deletion
    case $ref in refs/heads/* | refs/tags/*) ;; *) continue ;; esac
    if [ "$old" = "$zero" ]; then
        base=$(git merge-base HEAD "$new" 2>/dev/null) || base=$empty_tree
    else
        base=$old
    fi
    # Tags are peeled by diff-tree, which takes any tree-ish.
    git diff-tree -r --no-commit-id --no-renames --diff-filter=AMT \
        "$base" "$new" -- eval.yaml .eval_results
done |
awk -F '\t' '
    # ":<old mode> <new mode> <old id> <new id> <status>\t<path>"
    { split($1, f, " "); mode = f[2]; id = f[4]; path = $2 }
    mode != "100644" && mode != "100755" { print id " !mode " path; next }
    path == "eval.yaml" || path ~ /^\.eval_results\/[^\/]*\.yaml$/ {
        if (!(id SUBSEP path in seen)) { seen[id, path]; print id " " path }
    }' |
git cat-file --batch='%(objectname) %(objecttype) %(objectsize) %(rest)' |
awk '
    function finish() {
        if (path == "eval.yaml") { if (!tasks) fail("no `tasks:`") }
        else if (!dataset || !value) fail("no `dataset:` or `value:`")
    }
    function fail(why) { printf "error: %s: %s\n", path, why > "/dev/stderr"; bad = 1 }
    state == 0 {                      # a header: id type size rest
        path = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", path)
        if ($2 == "missing") { print "error: missing object " $1 > "/dev/stderr"; bad = 1; next }
        if (path ~ /^!mode /) { path = substr(path, 7); fail("not a regular file") }
        left = $3; tasks = dataset = value = 0
        if (left == 0) { finish(); state = 2 } else state = 1
        next
    }
    state == 1 {                      # the content, line by line
        left -= length($0) + 1
        if ($0 ~ /^tasks:/) tasks = 1
        if ($0 ~ /^[- ] *dataset:/) dataset = 1
        if ($0 ~ /^[- ] *value:/) { value = 1; if ($0 ~ /value: *["\047]/) fail("quoted `value:`") }
        if (left <= 0) { finish(); state = left == 0 ? 2 : 0 }
        next
    }
    state == 2 { state = 0 }          # the newline cat-file adds after content
    END { exit bad }'
