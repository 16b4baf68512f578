# Sourced by the whole-process benchmarks: each run timed into a log, the medians of the runs
# of each name, and the ratio of two names' medians. The sourcing script sets `log` (a file).
#
#     log=$(mktemp)
#     timed run downline run …        # one run, appended to $log and printed
#     print_medians                   # median wall and CPU (user + sys) seconds of each name
#     print_ratio compare run         # compare / run, of the medians

# timed NAME COMMAND …: runs COMMAND once under /usr/bin/time (its stdout dropped), appends
# "NAME wall user sys rss" to $log and prints the run.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "$name %e %U %S %M" -o "$log" -a "$@" >/dev/null
  tail -n 1 "$log" | awk '{printf "%-8s wall %6.2f s  cpu %6.2f s  rss %5.0f MB\n", $1, $2, $3 + $4, $5 / 1024}'
}

# "NAME wall cpu" medians of every name in $log, one line each.
medians_of_log() {
  awk '{ wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4) }
    function median(list,   v, n, i, j, t) {
      n = split(list, v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    END { for (k in wall) print k, median(wall[k]), median(cpu[k]) }' "$log"
}

print_medians() {
  medians_of_log | awk '{ printf "median %-8s wall %6.2f s  cpu %6.2f s\n", $1, $2, $3 }'
}

# print_ratio A B: the medians of A over those of B, wall and CPU.
print_ratio() {
  medians_of_log | awk -v a="$1" -v b="$2" '{ wall[$1] = $2; cpu[$1] = $3 }
    END { printf "%s / %s: wall %.2fx  cpu %.2fx\n", a, b, wall[a] / wall[b], cpu[a] / cpu[b] }'
}
