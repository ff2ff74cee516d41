# shellcheck shell=bash
# ./kinder seed | bench events | bench chat: build the tool, run it with the arguments. The tools find the stack that
# `dotnet run --project Kinder.AppHost` runs from this checkout themselves (bench/Shared/KinderStack.cs); --help
# lists their options.

# kinder_tool PROJECT_DIR [ARGS...]: Release build of one tool (quiet unless it fails), then run it with ARGS.
kinder_tool() {
  local dir=$1 name=${1##*/}
  shift
  dotnet build "$dir/$name.csproj" -c Release -nologo -nodeReuse:false -v quiet >&2 || exit 1
  dotnet "$dir/bin/Release/net10.0/$name.dll" "$@"
}

cmd_seed() { kinder_tool tools/Kinder.Seed "$@"; }

cmd_bench() {
  case ${1:-} in
    events) shift; kinder_tool bench/Kinder.Bench.Events "$@" ;;
    chat) shift; kinder_tool bench/Kinder.Bench.Chat "$@" ;;
    compare) shift; ensure_dotnet_tools; kinder_tool bench/Kinder.Bench.Chat --mode compare "$@" ;; # dotnet-counters times the hops
    sync) shift; kinder_tool bench/Kinder.Bench.Chat --mode sync "$@" ;;
    notifications) shift; kinder_tool bench/Kinder.Bench.Chat --mode notifications "$@" ;;
    *) echo "usage: ./kinder bench events|chat|compare|sync|notifications [args] (--help lists them)" >&2; exit 2 ;;
  esac
}
