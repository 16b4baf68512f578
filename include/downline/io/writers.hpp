// SPDX-License-Identifier: MIT
// The CSV outputs of SPEC §8, written into output_file buffers.
#pragma once

#include "downline/io/output_file.hpp"
#include "downline/ledger.hpp"
#include "downline/plan.hpp"
#include "downline/result.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// payouts.csv: member_id,bonus,amount (exactly money_decimals decimals).
void write_payouts(output_file& out, const result& r, const plan& rules);
/// ranks.csv: member_id,rank,pv,gv,active — every member, file order.
void write_ranks(output_file& out, const result& r, const plan& rules);
/// lines.csv: member_id,bonus,source_member_id,order_id,level,base,rate,amount,detail.
void write_lines(output_file& out, const result& r, const ledger& sales);
/// payables.csv (SPEC §11): member_id,earned,balance_in,fee,deductions,paid,balance_out,
/// forfeited,status — members with any non-zero figure, network-file order.
void write_payables(output_file& out, const result& r, const plan& rules);

DOWNLINE_END_NAMESPACE
