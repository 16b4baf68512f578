// SPDX-License-Identifier: MIT
// The compiled network: a network saved once, after validation and numbering, and mapped back.
#pragma once

#include <filesystem>
#include <vector>

#include "downline/network.hpp"
#include "downline/network_layout.hpp"

DOWNLINE_BEGIN_NAMESPACE

/**
 * Writes `net` as a compiled network file (`.dlnet`), atomically: everything a network holds
 * after network::from_csv (ids and their hash index, the preorder numbering, placement data,
 * dates, the CSV line of every row for messages), plus the placement trees of `layout` (a
 * layout of `net` built for a plan: what its binary and matrix bonuses need), so that loading
 * it skips parsing, validation, numbering and placement. A layout of another network is an
 * error (errc::usage).
 *
 * Format (little-endian): a 64-byte header — magic "DLNET\x1a\r\n", byte-order mark
 * 0x01020304, format version, file size, a 64-bit checksum of everything after the header,
 * the section count — then a table of sections (kind, element size, offset, count) and the
 * sections, each 64-byte aligned. O(members).
 *
 *     const network net = network::from_csv("network.csv");
 *     const network_layout layout = network_layout::build(net, plan::from_file("plan.json"));
 *     write_compiled_network(net, "network.dlnet", &layout);
 *     auto [saved, saved_layout] = load_network("network.dlnet");   // or a CSV file: it looks
 */
void write_compiled_network(const network& net, const std::filesystem::path& path,
                            const network_layout* layout = nullptr);

/// True when a regular file starts with the compiled network's magic (false when unreadable,
/// and for pipes and devices, which network::load reads as CSV).
bool is_compiled_network(const std::filesystem::path& path);

/// A network and the layout read with it: the placement trees a compiled network was saved
/// with, or none (a CSV file, a network compiled without a plan). `layout` belongs to `net`
/// (moving the pair keeps it so); pass it to network_layout::build as `reuse`.
struct loaded_network {
  network net;
  network_layout layout;
};

/**
 * Reads a compiled network: maps the file, checks the header (magic, byte order, version,
 * size: a truncated file is named as such), the checksum (a corrupted file), every section's
 * bounds and the structure (ids, numbering, trees) before trusting it. Errors are
 * input_error naming the file. The placement trees saved with it come back as its layout.
 * O(members), sequential reads.
 */
loaded_network read_compiled_network(const std::filesystem::path& path);

/// A compiled network (read_compiled_network) or, failing its magic, network.csv (with an
/// empty layout). network::load is the same without the layout.
loaded_network load_network(const std::filesystem::path& path);

DOWNLINE_END_NAMESPACE
