// SPDX-License-Identifier: MIT
// The compiled network: a network saved once, after validation and numbering, and mapped back.
#pragma once

#include <filesystem>
#include <vector>

#include "downline/network.hpp"
#include "downline/placement.hpp"

DOWNLINE_BEGIN_NAMESPACE

class plan;

/// The distinct placement trees the plan's bonuses pay over (bonus::placement_need), in plan order.
std::vector<placement_options> placement_needs(const plan& rules);

/**
 * Writes `net` as a compiled network file (`.dlnet`), atomically: everything a network holds
 * after network::from_csv (ids and their hash index, the preorder numbering, placement data,
 * dates, the CSV line of every row for messages), plus the placement trees of `placements`
 * (what a plan's binary and matrix bonuses need), so that loading it skips parsing,
 * validation, numbering and placement.
 *
 * Format (little-endian): a 64-byte header — magic "DLNET\x1a\r\n", byte-order mark
 * 0x01020304, format version, file size, a 64-bit checksum of everything after the header,
 * the section count — then a table of sections (kind, element size, offset, count) and the
 * sections, each 64-byte aligned. O(members).
 *
 *     write_compiled_network(network::from_csv("network.csv"), "network.dlnet");
 *     network net = network::load("network.dlnet");   // or a CSV file: load() looks
 */
void write_compiled_network(const network& net, const std::filesystem::path& path,
                            const std::vector<placement_options>& placements = {});

/// True when a regular file starts with the compiled network's magic (false when unreadable,
/// and for pipes and devices, which network::load reads as CSV).
bool is_compiled_network(const std::filesystem::path& path);

/**
 * Reads a compiled network: maps the file, checks the header (magic, byte order, version,
 * size: a truncated file is named as such), the checksum (a corrupted file), every section's
 * bounds and the structure (ids, numbering, trees) before trusting it. Errors are
 * input_error naming the file. Placement trees saved with it are ready on the network.
 * O(members), sequential reads.
 */
network read_compiled_network(const std::filesystem::path& path);

DOWNLINE_END_NAMESPACE
