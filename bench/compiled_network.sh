#!/usr/bin/env bash
# The U8 run from network.csv and from the same network compiled once (`downline
# compile-network`), alternately, each repeated; checks that both write the same payouts.
# usage: bench/compiled_network.sh DIR [REPEATS]     (DIR as for u8_whole_cli.sh)
set -euo pipefail
dir=$1
repeats=${2:-5}
cli=${DOWNLINE_CLI:-$(dirname "$0")/../build/release/downline}
/usr/bin/time -f "compile-network wall_s=%e max_rss_kb=%M" \
  "$cli" compile-network --network "$dir/network.csv" --plan "$dir/u8.json" --out "$dir/network.dlnet" --quiet
ls -l "$dir/network.csv" "$dir/network.dlnet" | awk '{print $5, $NF}'
for i in $(seq "$repeats"); do
  for input in network.csv network.dlnet; do
    /usr/bin/time -f "$input wall_s=%e user_s=%U sys_s=%S max_rss_kb=%M" "$cli" run --plan "$dir/u8.json" \
      --network "$dir/$input" --sales "$dir/sales.csv" --out "$dir/payouts_$input.csv" --quiet
  done
done
cmp "$dir/payouts_network.csv.csv" "$dir/payouts_network.dlnet.csv" && echo "payouts identical"
