# SPDX-License-Identifier: MIT
# bash completion for regautopsy: the commands, each command's options, and the values
# of options that take a fixed set. Installed as
# /usr/share/bash-completion/completions/regautopsy. The option lists are checked
# against each command's --help by tests/pkg/completion.sh; keep them in step.

_regautopsy_files() # [-d]: file names (or directories only) completing $cur
{
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen "${1:--f}" -- "$cur")
}

_regautopsy()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd=${COMP_WORDS[1]} opts
    local evidence="--config --rev --tz --cluster-tz --log --jobs-file --verify"
    COMPREPLY=()

    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "report scan diff jobs gc-sim timeline bisect
            check --help --version" -- "$cur")
        return
    fi
    case $cmd in
    report) opts="$evidence --title --template -o --output --json --all-snapshots --now -q --quiet --progress" ;;
    scan) opts="--json --prometheus --verify --all-tags -q --quiet --progress" ;;
    diff) opts="--json --verify -q --quiet" ;;
    jobs) opts="--config --rev --tz --cluster-tz --from --to --jobs-file --json" ;;
    gc-sim) opts="--distribution -m --delete-untagged --json --verify -q --quiet" ;;
    timeline) opts="$evidence --format --json --no-fold -q --quiet --progress" ;;
    bisect) opts="--json --verify -q --quiet --progress" ;;
    check) opts="--expect $evidence -q --quiet" ;;
    *) return ;;
    esac
    opts+=" -v --verbose --help"

    case $prev in
    --config) _regautopsy_files -d; return ;;
    --template | --log | --jobs-file | --json | --prometheus | -o | --output | --expect)
        _regautopsy_files; return ;;
    --format) mapfile -t COMPREPLY < <(compgen -W "text json jsonl" -- "$cur"); return ;;
    --distribution) mapfile -t COMPREPLY < <(compgen -W "2.8 3" -- "$cur"); return ;;
    --rev | --tz | --cluster-tz | --title | --from | --to) return ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    elif [[ $cmd != jobs ]]; then
        _regautopsy_files # SNAPSHOT: an archive or a directory
    fi
}

complete -F _regautopsy regautopsy
