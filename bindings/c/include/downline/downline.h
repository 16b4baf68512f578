/* SPDX-License-Identifier: MIT */
/*
 * downline C API: exact, explainable multi-level-marketing commissions for CRM products.
 *
 * Conventions (as in libgit2 and DuckDB's C API):
 *   - Every object is an opaque handle created by a `downline_<noun>_from_*` call and released by
 *     `downline_<noun>_destroy(&handle)`, which accepts NULL and a NULL handle and sets the handle
 *     to NULL. The caller owns every handle it receives through an out-parameter.
 *   - Every fallible call returns a `downline_status`: DOWNLINE_OK (0) or a negative error code.
 *     Results come through out-parameters, which come first. On error, out-parameters are left
 *     NULL / zero and downline_last_error_message() says what went wrong, in the same words as
 *     the `downline` CLI ("sales.csv:7: sale for a member who is not in the network 'X9'").
 *   - Getters that cannot fail return their value directly (NULL / 0 for a NULL handle or an
 *     index out of range).
 *   - Text out-parameters of type `const char*` point into the handle they came from and stay
 *     valid until it is destroyed. Text written into caller buffers is NUL-terminated; when the
 *     buffer is too small the call returns DOWNLINE_ERROR_BUFFER_TOO_SMALL, writes an empty
 *     string (if size > 0) and stores the size needed, NUL included, in `*needed`.
 *   - No C++ exception ever crosses this interface.
 *   - Handles are immutable once created: they may be read from several threads at once, and
 *     several runs may use the same plan, network and ledger concurrently. Results keep what
 *     they refer to alive, so inputs may be destroyed before the results computed from them.
 *
 * Units. Money read back from a result is in minor units of the plan's `money_decimals`
 * (cents for 2): 1234 with 2 decimals is 12.34. Ledger amounts given as arrays are in minor
 * units of the decimals the caller names. Volume is in ten-thousandths of a point
 * (DOWNLINE_VOLUME_DECIMALS), rates in millionths of one (100% = 1000000).
 *
 * Example (error handling shortened; see examples/c/crm_example.c for a complete program):
 *
 *     downline_plan* plan = NULL;
 *     downline_network* net = NULL;
 *     downline_ledger* sales = NULL;
 *     downline_result* res = NULL;
 *     if (downline_plan_from_file(&plan, "plan.json") != DOWNLINE_OK ||
 *         downline_network_from_csv(&net, "network.csv") != DOWNLINE_OK ||
 *         downline_ledger_from_csv(&sales, net, "sales.csv") != DOWNLINE_OK ||
 *         downline_run(&res, plan, net, sales, NULL) != DOWNLINE_OK)
 *       fprintf(stderr, "error: %s\n", downline_last_error_message());
 *     for (size_t i = 0; i < downline_result_payout_count(res); ++i) {
 *       downline_payout p;
 *       downline_result_payout(res, i, &p);
 *       printf("%s %s %lld\n", p.member_id, p.bonus, (long long)p.amount);
 *     }
 *     downline_result_destroy(&res);
 *     downline_ledger_destroy(&sales);
 *     downline_network_destroy(&net);
 *     downline_plan_destroy(&plan);
 *
 * This header compiles as strict C11 (and as C++).
 */
#ifndef DOWNLINE_DOWNLINE_H
#define DOWNLINE_DOWNLINE_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(DOWNLINE_C_SHARED)
#if defined(DOWNLINE_C_BUILDING)
#define DOWNLINE_C_API __declspec(dllexport)
#else
#define DOWNLINE_C_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define DOWNLINE_C_API __attribute__((visibility("default")))
#else
#define DOWNLINE_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version, units, status --------------------------------------------------------------- */

#define DOWNLINE_C_VERSION_MAJOR 0
#define DOWNLINE_C_VERSION_MINOR 1
#define DOWNLINE_C_VERSION_PATCH 0

/** Ledger amounts inside the engine (and in a custom bonus's period view): millionths. */
#define DOWNLINE_AMOUNT_DECIMALS 6
/** Volume (PV, GV, binary carry): ten-thousandths of a point. */
#define DOWNLINE_VOLUME_DECIMALS 4
/** Rates: millionths of one (100% is 1000000). */
#define DOWNLINE_RATE_DECIMALS 6
/** Exact, unrounded money: 10^-12 of the currency unit (rate x amount). */
#define DOWNLINE_EXACT_DECIMALS 12
/** "No member": the parent of a root, the source of a line that has none. */
#define DOWNLINE_NO_MEMBER ((uint32_t)0xFFFFFFFFu)
/** "No rank": below the plan's first rank. */
#define DOWNLINE_NO_RANK (-1)

/** What every fallible call returns: 0 for success, a negative code for an error. */
typedef enum downline_status {
  DOWNLINE_OK = 0,
  DOWNLINE_ERROR_IO = -1,               /**< a file cannot be read or written */
  DOWNLINE_ERROR_INPUT = -2,            /**< malformed sales, state or array value */
  DOWNLINE_ERROR_NETWORK = -3,          /**< not a forest; unknown or duplicate id */
  DOWNLINE_ERROR_PLAN = -4,             /**< the plan JSON does not follow the schema */
  DOWNLINE_ERROR_OVERFLOW = -5,         /**< a number or sum outside the fixed-point range */
  DOWNLINE_ERROR_USAGE = -6,            /**< a NULL argument, an index out of range, a misuse */
  DOWNLINE_ERROR_BUFFER_TOO_SMALL = -7, /**< see `*needed` for the size required */
  DOWNLINE_ERROR_NOT_FOUND = -8,        /**< an unknown member id or bonus name */
  DOWNLINE_ERROR_NO_MEMORY = -9,        /**< an allocation failed */
  DOWNLINE_ERROR_CALLBACK = -10,        /**< a custom bonus callback reported a failure */
  DOWNLINE_ERROR_INTERNAL = -99         /**< a bug in downline: please report it */
} downline_status;

/** The library version, "0.1.0". */
DOWNLINE_C_API const char* downline_version(void);

/**
 * The message of the last call that failed on this thread ("" when the last call succeeded).
 * Every fallible call clears it on entry. The pointer stays valid until the next call of this
 * API on the same thread.
 */
DOWNLINE_C_API const char* downline_last_error_message(void);

/** The status's name, "DOWNLINE_ERROR_PLAN"; "DOWNLINE_UNKNOWN_STATUS" for other values. */
DOWNLINE_C_API const char* downline_status_name(downline_status status);

/**
 * Formats `minor` minor units with `decimals` (0..12) fractional digits, as payouts.csv does:
 * (-1234, 2) gives "-12.34", (5, 0) gives "5".
 */
DOWNLINE_C_API downline_status downline_format_minor(char* buffer, size_t size, size_t* needed, int64_t minor,
                                                     int decimals);

/* ---- handles -------------------------------------------------------------------------------- */

typedef struct downline_plan downline_plan;       /**< a compensation plan (SPEC §3) */
typedef struct downline_network downline_network; /**< the sponsor (and placement) trees */
typedef struct downline_ledger downline_ledger;   /**< sale lines, resolved to members */
typedef struct downline_state downline_state;     /**< what a period hands to the next (SPEC §7.2) */
typedef struct downline_result downline_result;   /**< one period's outcome */
typedef struct downline_layout downline_layout;   /**< a network's placement trees, for many runs */

/* ---- plan ----------------------------------------------------------------------------------- */

/**
 * Parses a plan from JSON text (NUL-terminated). `source` names it in messages (NULL: "plan").
 * Errors: DOWNLINE_ERROR_PLAN naming the JSON path ("plan: bonuses[0].rates[3]: ...").
 */
DOWNLINE_C_API downline_status downline_plan_from_json(downline_plan** out, const char* json, const char* source);
/** Reads and parses a plan file. Errors: DOWNLINE_ERROR_IO, DOWNLINE_ERROR_PLAN. */
DOWNLINE_C_API downline_status downline_plan_from_file(downline_plan** out, const char* path);
DOWNLINE_C_API void downline_plan_destroy(downline_plan** plan);

DOWNLINE_C_API const char* downline_plan_name(const downline_plan* plan);
DOWNLINE_C_API const char* downline_plan_currency(const downline_plan* plan);
/** 0..6, or -1 for NULL. */
DOWNLINE_C_API int downline_plan_money_decimals(const downline_plan* plan);
DOWNLINE_C_API size_t downline_plan_bonus_count(const downline_plan* plan);
/** The i-th bonus's name / type in plan order; NULL when out of range. */
DOWNLINE_C_API const char* downline_plan_bonus_name(const downline_plan* plan, size_t i);
DOWNLINE_C_API const char* downline_plan_bonus_type(const downline_plan* plan, size_t i);
DOWNLINE_C_API size_t downline_plan_rank_count(const downline_plan* plan);
/** The i-th rank's name, lowest first; NULL when out of range. */
DOWNLINE_C_API const char* downline_plan_rank_name(const downline_plan* plan, size_t i);

/* ---- network -------------------------------------------------------------------------------- */

/** Loads network.csv (SPEC §2). Errors name file:line and the value. O(rows). */
DOWNLINE_C_API downline_status downline_network_from_csv(downline_network** out, const char* path);

/**
 * Loads a network from either network.csv or a compiled network file (`downline
 * compile-network`, downline_network_compile), told apart by the file's first bytes. A
 * compiled file is mapped and checked (header, checksum, structure): a truncated, corrupted or
 * foreign file is an error naming the file. Results equal those of the CSV, byte for byte.
 */
DOWNLINE_C_API downline_status downline_network_from_file(downline_network** out, const char* path);

/**
 * Writes `network` as a compiled network file (atomically: no partial file on error). With a
 * plan (may be NULL), the placement trees its binary and matrix bonuses pay over are saved too.
 */
DOWNLINE_C_API downline_status downline_network_compile(const downline_network* network, const downline_plan* plan,
                                                        const char* path);

/**
 * Builds a network from `count` rows given as parallel arrays of NUL-terminated strings, rows
 * in any order (a sponsor may come after its recruits). `ids` and `sponsor_ids` are required
 * (a NULL or "" sponsor makes a root); `placement_ids`, `positions` ("L", "R" or "1".."width")
 * and `joined` ("YYYY-MM-DD") may be NULL as a whole or hold NULL / "" elements. The arrays are
 * copied. Messages name the row as "network row 7" (0-based array index).
 */
DOWNLINE_C_API downline_status downline_network_from_arrays(downline_network** out, size_t count,
                                                            const char* const* ids, const char* const* sponsor_ids,
                                                            const char* const* placement_ids,
                                                            const char* const* positions, const char* const* joined);
/**
 * As downline_network_from_arrays, with each member's `statuses` for settlement (SPEC §11):
 * "active" (also NULL or ""), "hold" or "terminated"; `statuses` may be NULL (all active).
 */
DOWNLINE_C_API downline_status downline_network_from_arrays_with_status(
    downline_network** out, size_t count, const char* const* ids, const char* const* sponsor_ids,
    const char* const* placement_ids, const char* const* positions, const char* const* joined,
    const char* const* statuses);
DOWNLINE_C_API void downline_network_destroy(downline_network** network);

/** Number of members. */
DOWNLINE_C_API size_t downline_network_size(const downline_network* network);
/** The id of the member in row `row` (input order); NULL when out of range. */
DOWNLINE_C_API const char* downline_network_id(const downline_network* network, size_t row);
/** The row of the member `id`. Errors: DOWNLINE_ERROR_NOT_FOUND. O(1). */
DOWNLINE_C_API downline_status downline_network_find(size_t* row, const downline_network* network, const char* id);

/* ---- ledger --------------------------------------------------------------------------------- */

/** Sale kinds (SPEC §2 `kind`). */
#define DOWNLINE_KIND_RETAIL 0
#define DOWNLINE_KIND_PERSONAL 1
#define DOWNLINE_KIND_FEE 2

/**
 * Loads sales.csv against `network` (every member must exist in it). The ledger can then be
 * run only with that network.
 */
DOWNLINE_C_API downline_status downline_ledger_from_csv(downline_ledger** out, const downline_network* network,
                                                        const char* path);

/**
 * Builds a ledger from `count` sale lines given as parallel arrays (copied):
 *   member_ids     required, ids of the network;
 *   amounts        required, money in minor units of `money_decimals` (0..6): 1230 with 2 is 12.30;
 *                  the plan's money_decimals must hold them (checked at run time);
 *   volumes        NULL: each line's volume equals its amount; otherwise in units of
 *                  10^-`volume_decimals` (0..4) points;
 *   kinds          NULL: all retail; else DOWNLINE_KIND_* values;
 *   dates          NULL, or "YYYY-MM-DD" text (NULL / "" elements: undated);
 *   order_ids      NULL, or text carried into explanation lines.
 * Messages name the line as "sales row 7" (0-based array index).
 */
DOWNLINE_C_API downline_status downline_ledger_from_arrays(downline_ledger** out, const downline_network* network,
                                                           size_t count, const char* const* member_ids,
                                                           const int64_t* amounts, int money_decimals,
                                                           const int64_t* volumes, int volume_decimals,
                                                           const uint8_t* kinds, const char* const* dates,
                                                           const char* const* order_ids);
DOWNLINE_C_API void downline_ledger_destroy(downline_ledger** ledger);
DOWNLINE_C_API size_t downline_ledger_size(const downline_ledger* ledger);

/* ---- state (everything a period hands to the next, SPEC §7.2) --------------------------------- */

/**
 * A state is rows `member_id,key,value` (text, as in the state file) and the period that wrote
 * it. Keys: paid_rank, title_rank, grace, last_active, balance, carry_left:<bonus>,
 * carry_right:<bonus>; members, keys and values are checked against the network and plan when
 * the state is run.
 */
typedef struct downline_state_row {
  const char* member_id;
  const char* key;
  const char* value;
} downline_state_row;

/** One carry entry: a member's leg volume carried for one binary bonus (ten-thousandths). */
typedef struct downline_carry {
  const char* member_id;
  const char* bonus;
  int64_t left;
  int64_t right;
} downline_carry;

/** Reads a state file (as `downline run --state-in`): `member_id,key,value`, or the earlier
 * four-column carry file `member_id,bonus,left,right`. */
DOWNLINE_C_API downline_status downline_state_from_csv(downline_state** out, const char* path);
/**
 * Builds a state from parallel arrays of text (copied): `period` the period that wrote it (NULL
 * or "" for none), then `count` rows.
 */
DOWNLINE_C_API downline_status downline_state_from_rows(downline_state** out, const char* period, size_t count,
                                                        const char* const* member_ids, const char* const* keys,
                                                        const char* const* values);
/**
 * Convenience for binary carry: a state without a period from parallel arrays (copied); `left`
 * and `right` in ten-thousandths of a point, as keys carry_left:<bonus> and carry_right:<bonus>.
 */
DOWNLINE_C_API downline_status downline_state_from_arrays(downline_state** out, size_t count,
                                                          const char* const* member_ids, const char* const* bonuses,
                                                          const int64_t* left, const int64_t* right);
DOWNLINE_C_API void downline_state_destroy(downline_state** state);
/** The period that wrote the state ("" for none); lives as long as the state. */
DOWNLINE_C_API const char* downline_state_period(const downline_state* state);
/** Number of rows. */
DOWNLINE_C_API size_t downline_state_size(const downline_state* state);
/** Row i; its strings live as long as the state. Errors: DOWNLINE_ERROR_USAGE out of range. */
DOWNLINE_C_API downline_status downline_state_row_at(downline_state_row* out, const downline_state* state, size_t i);
/** Number of binary carry entries: (member, bonus) pairs with a carry_left or carry_right row. */
DOWNLINE_C_API size_t downline_state_carry_count(const downline_state* state);
/** Carry entry i (row order); its strings live as long as the state. */
DOWNLINE_C_API downline_status downline_state_entry(downline_carry* out, const downline_state* state, size_t i);
/** Writes the state file atomically: no partial file on error. */
DOWNLINE_C_API downline_status downline_state_write_csv(const downline_state* state, const char* path);

/* ---- overrides and adjustments (SPEC §7.4) --------------------------------------------------- */

typedef struct downline_overrides downline_overrides;     /**< forced paid-as ranks and activity */
typedef struct downline_adjustments downline_adjustments; /**< manual amounts after the cap */

/** Reads an overrides CSV `member_id,rank,active,note` (checked against plan and network at run). */
DOWNLINE_C_API downline_status downline_overrides_from_csv(downline_overrides** out, const char* path);
/**
 * Overrides from parallel arrays of text (copied): `ranks[i]` a rank name, "-" for no rank, or
 * NULL/"" (not overridden); `actives[i]` "true", "false" or NULL/""; `notes` may be NULL.
 */
DOWNLINE_C_API downline_status downline_overrides_from_arrays(downline_overrides** out, size_t count,
                                                              const char* const* member_ids,
                                                              const char* const* ranks,
                                                              const char* const* actives,
                                                              const char* const* notes);
DOWNLINE_C_API void downline_overrides_destroy(downline_overrides** overrides);
/** Reads an adjustments CSV `member_id,bonus,amount,note`. */
DOWNLINE_C_API downline_status downline_adjustments_from_csv(downline_adjustments** out, const char* path);
/**
 * Adjustments from parallel arrays (copied): `bonuses[i]` a plan bonus or "adjustment";
 * `amounts[i]` exact decimal text with at most the plan's money_decimals; `notes` may be NULL.
 */
DOWNLINE_C_API downline_status downline_adjustments_from_arrays(downline_adjustments** out, size_t count,
                                                                const char* const* member_ids,
                                                                const char* const* bonuses,
                                                                const char* const* amounts,
                                                                const char* const* notes);
DOWNLINE_C_API void downline_adjustments_destroy(downline_adjustments** adjustments);

/* ---- layout --------------------------------------------------------------------------------- */

/**
 * The placement trees the binary and matrix bonuses of `plan` pay over, built once for
 * `network` and given to every run on it (downline_run_options.layout), so that runs of many
 * periods or ledgers do not place the members again. Trees a compiled network was saved with
 * (downline_network_compile with a plan) are shared, not rebuilt. The layout keeps its network
 * alive; it belongs to that handle only (a run on another network handle, even one read from the
 * same file, is DOWNLINE_ERROR_USAGE). Immutable: runs on several threads may share it.
 * Errors: DOWNLINE_ERROR_NETWORK for a bad placement (a position taken twice, a cycle), naming
 * the member's line. O(members) per distinct tree (20 bytes a member).
 */
DOWNLINE_C_API downline_status downline_layout_build(downline_layout** out, const downline_network* network,
                                                     const downline_plan* plan);
DOWNLINE_C_API void downline_layout_destroy(downline_layout** layout);

/* ---- run ------------------------------------------------------------------------------------ */

#define DOWNLINE_RUN_OPTIONS_VERSION 4

/** Options of downline_run; start from DOWNLINE_RUN_OPTIONS_INIT. Callers of versions 1 (without
 * overrides and adjustments), 2 (without layout) and 3 (without threads) are still accepted. */
typedef struct downline_run_options {
  uint32_t version;               /**< DOWNLINE_RUN_OPTIONS_VERSION */
  const char* period;             /**< "YYYY-MM", "YYYY-Www" or "YYYY-MM-DD..YYYY-MM-DD"; NULL: all lines */
  const downline_state* state_in; /**< the previous period's state, or NULL */
  int explain;                    /**< non-zero: keep explanation lines (downline_result_line) */
  const downline_overrides* overrides;     /**< version 2: overrides of this period, or NULL */
  const downline_adjustments* adjustments; /**< version 2: adjustments of this period, or NULL */
  /** version 3: the network's placement trees (downline_layout_build), or NULL: the run builds
   * what the plan needs (using the trees a compiled network was saved with). A layout of another
   * network or without a tree the plan needs is DOWNLINE_ERROR_USAGE. */
  const downline_layout* layout;
  /** version 4: compute on at most this many threads (1 to 1024); 0: all cores. The result is
   * the same for every count. */
  uint32_t threads;
} downline_run_options;

#define DOWNLINE_RUN_OPTIONS_INIT {DOWNLINE_RUN_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, NULL, 0}

/**
 * Evaluates `plan` over one period of `ledger` on `network` (SPEC §4-§8). `options` may be NULL.
 * Deterministic; the ledger must have been loaded against `network`.
 * O(members x levels + lines); explanations add O(lines x levels) memory.
 */
DOWNLINE_C_API downline_status downline_run(downline_result** out, const downline_plan* plan,
                                            const downline_network* network, const downline_ledger* ledger,
                                            const downline_run_options* options);

/* ---- session: a period kept open ------------------------------------------------------------ */

/**
 * A period kept open (docs/session.md): the plan, network, period and state are loaded once;
 * sale lines and members are added as orders arrive; downline_session_estimate gives the payouts
 * so far, exactly what downline_run gives over the same lines. Adding a line updates its
 * member's sums in place: an estimate neither reads nor aggregates the lines again.
 * Not thread-safe: one caller at a time.
 *
 *     downline_session* s = NULL;
 *     downline_session_create(&s, plan, net, "2026-03", NULL);
 *     downline_session_add_sales(s, 1, ids, amounts, 2, NULL, 0, NULL, dates, NULL);
 *     downline_session_estimate(&mine, s, "A17", 1);
 */
typedef struct downline_session downline_session;

/** Opens a session. `period` as in downline_run_options (NULL: every line counts); `state_in`
 * the previous period's state or NULL (one from this period or a later one is an error). The
 * plan and network are shared, not copied. */
DOWNLINE_C_API downline_status downline_session_create(downline_session** out, const downline_plan* plan,
                                                       const downline_network* network, const char* period,
                                                       const downline_state* state_in);

/** Adds sale lines: the columns of downline_ledger_from_arrays, with its checks and messages
 * ("sales row i"), and those of a run (too many decimals for the plan, an undated line with a
 * period, a member's sums overflowing). An add that fails adds nothing. O(lines added). */
DOWNLINE_C_API downline_status downline_session_add_sales(downline_session* session, size_t count,
                                                          const char* const* member_ids, const int64_t* amounts,
                                                          int money_decimals, const int64_t* volumes,
                                                          int volume_decimals, const uint8_t* kinds,
                                                          const char* const* dates, const char* const* order_ids);

/** Adds members: the columns of downline_network_from_arrays_with_status (`statuses` may be
 * NULL); a sponsor is a member already in the network or one of these. The network is built
 * again: O(members). Errors name "network row i" of these columns; an add that fails adds
 * nothing. */
DOWNLINE_C_API downline_status downline_session_add_members(downline_session* session, size_t count,
                                                            const char* const* ids, const char* const* sponsor_ids,
                                                            const char* const* placement_ids,
                                                            const char* const* positions, const char* const* joined,
                                                            const char* const* statuses);

/** The payouts so far. `member_id` NULL: everyone (a full result, as downline_run's). Else that
 * member's payout lines, explanation lines (when `explain`) and payables row; its result has no
 * rank rows (downline_result_member_count is 0). DOWNLINE_ERROR_NOT_FOUND for an unknown id. */
DOWNLINE_C_API downline_status downline_session_estimate(downline_result** out, downline_session* session,
                                                         const char* member_id, int explain);

/** Sale lines added so far (those outside the period too); members in the network now. */
DOWNLINE_C_API size_t downline_session_line_count(const downline_session* session);
DOWNLINE_C_API size_t downline_session_member_count(const downline_session* session);

/** Frees the session and sets *session to NULL; results made from it stay valid. NULL is a no-op. */
DOWNLINE_C_API void downline_session_destroy(downline_session** session);

/* ---- result --------------------------------------------------------------------------------- */

/** One payout line: a non-zero (member, bonus) amount after the cap, in minor units. */
typedef struct downline_payout {
  const char* member_id;
  const char* bonus;
  int64_t amount; /**< minor units of money_decimals */
} downline_payout;

/** One member's qualification (ranks.csv). */
typedef struct downline_rank_row {
  const char* member_id;
  const char* rank; /**< "" below the first rank */
  int32_t rank_index; /**< index into the plan's ranks, DOWNLINE_NO_RANK below the first */
  int64_t pv;         /**< ten-thousandths of a point */
  int64_t gv;
  int active; /**< 1 or 0 */
} downline_rank_row;

/** One explanation line (lines.csv): which sale line or downline earning paid what. */
typedef struct downline_line {
  const char* member_id;        /**< the earner */
  const char* bonus;
  const char* source_member_id; /**< buyer or downline earner; "" when not one member */
  const char* order_id;         /**< "" when none */
  uint32_t level;               /**< level or generation; 0 when not level-based */
  int64_t base;                 /**< millionths: the amount, or the volume x 100 */
  int64_t rate;                 /**< millionths of one */
  char amount[48];              /**< exact, unrounded amount as decimal text ("1.2345") */
} downline_line;

/** The headline figures of the summary; downline_result_summary_json has all of them. */
typedef struct downline_summary {
  uint64_t members;
  uint64_t sale_lines;
  uint64_t active_members;
  uint64_t earners;
  int64_t total_payout; /**< minor units */
  int64_t breakage;     /**< minor units */
  int money_decimals;
  int cap_applied; /**< 1 when the payout cap scaled the payouts */
} downline_summary;

DOWNLINE_C_API void downline_result_destroy(downline_result** result);
/** The plan's money_decimals (the unit of every amount of the result), -1 for NULL. */
DOWNLINE_C_API int downline_result_money_decimals(const downline_result* result);

/** Number of payout lines (rows of payouts.csv). */
DOWNLINE_C_API size_t downline_result_payout_count(const downline_result* result);
/** Payout line i, in payouts.csv order (network-file order, then plan order). */
DOWNLINE_C_API downline_status downline_result_payout(downline_payout* out, const downline_result* result, size_t i);
/**
 * All payout lines into `buffer` (capacity `capacity` lines); `*count` receives the number of
 * lines. Errors: DOWNLINE_ERROR_BUFFER_TOO_SMALL when capacity < *count (nothing written).
 */
DOWNLINE_C_API downline_status downline_result_payouts(downline_payout* buffer, size_t capacity, size_t* count,
                                                       const downline_result* result);
/**
 * The payout of `member_id` from the bonus named `bonus` (NULL: the sum over all bonuses), in
 * minor units; 0 when the member earned nothing. Errors: DOWNLINE_ERROR_NOT_FOUND for an id
 * not in the network or a bonus not in the plan.
 */
DOWNLINE_C_API downline_status downline_result_amount(int64_t* amount, const downline_result* result,
                                                      const char* member_id, const char* bonus);

/** Number of members (rows of ranks.csv). */
DOWNLINE_C_API size_t downline_result_member_count(const downline_result* result);
/** The qualification of the member in row `row` (network-file order). */
DOWNLINE_C_API downline_status downline_result_rank(downline_rank_row* out, const downline_result* result, size_t row);

/** Number of explanation lines (0 unless run with `explain`). */
DOWNLINE_C_API size_t downline_result_line_count(const downline_result* result);
/** Explanation line i, in lines.csv order. */
DOWNLINE_C_API downline_status downline_result_line(downline_line* out, const downline_result* result, size_t i);

/** The member's history (ranks.csv's last columns, SPEC §7.3, §7.4). */
typedef struct downline_history_row {
  const char* member_id;
  const char* qualified_rank; /**< the rank whose requirements held this period; "" for none */
  const char* title_rank;     /**< the highest paid-as rank ever held; "" for none */
  uint32_t grace;             /**< consecutive periods the paid-as rank was held by grace */
  int overridden;             /**< 1 when an override applied */
  const char* override_note;  /**< the override's note ("" when none) */
} downline_history_row;

/** The history of the member in row `row` (network-file order). */
DOWNLINE_C_API downline_status downline_result_history(downline_history_row* out, const downline_result* result,
                                                       size_t row);

/** The state for the next period, as a new state handle (pass it as the next run's state_in). */
DOWNLINE_C_API downline_status downline_result_state(downline_state** out, const downline_result* result);

DOWNLINE_C_API downline_status downline_result_summary(downline_summary* out, const downline_result* result);
/** The summary as JSON text (as `--summary-json`: amounts as exact decimal strings). */
DOWNLINE_C_API downline_status downline_result_summary_json(char* buffer, size_t size, size_t* needed,
                                                            const downline_result* result);
/** The summary as the CLI prints it. */
DOWNLINE_C_API downline_status downline_result_summary_text(char* buffer, size_t size, size_t* needed,
                                                            const downline_result* result);
/** payouts.csv as text, byte for byte as the CLI writes it. */
DOWNLINE_C_API downline_status downline_result_payouts_csv(char* buffer, size_t size, size_t* needed,
                                                           const downline_result* result);

/** Writes payouts.csv / ranks.csv / lines.csv / the summary JSON atomically (no partial file). */
DOWNLINE_C_API downline_status downline_result_write_payouts(const downline_result* result, const char* path);
DOWNLINE_C_API downline_status downline_result_write_ranks(const downline_result* result, const char* path);
/** Errors: DOWNLINE_ERROR_USAGE when the run was not asked to explain. */
DOWNLINE_C_API downline_status downline_result_write_lines(const downline_result* result, const char* path);
DOWNLINE_C_API downline_status downline_result_write_summary_json(const downline_result* result, const char* path);

/* ---- payables (settlement, SPEC §11) ------------------------------------------------------- */

/**
 * One row of payables.csv: a member with any non-zero figure. Money in minor units of the
 * plan's money_decimals; earned + balance_in == fee + deductions + paid + balance_out + forfeited.
 */
typedef struct downline_payable {
  const char* member_id;
  int64_t earned;      /**< payouts of the period, after the cap, with adjustments */
  int64_t balance_in;  /**< the state's `balance` */
  int64_t fee;
  int64_t deductions;  /**< the sum of the plan's deductions */
  int64_t paid;
  int64_t balance_out; /**< carried into the next period's state */
  int64_t forfeited;
  const char* status;  /**< "paid", "hold", "below_minimum", "negative" or "forfeited" */
} downline_payable;

/** Number of payables rows. */
DOWNLINE_C_API size_t downline_result_payable_count(const downline_result* result);
/** Payables row i, in payables.csv order (network-file order). */
DOWNLINE_C_API downline_status downline_result_payable(downline_payable* out, const downline_result* result,
                                                       size_t i);
/** Writes payables.csv atomically, byte for byte as `downline run --payables`. */
DOWNLINE_C_API downline_status downline_result_write_payables(const downline_result* result, const char* path);

/**
 * The settlement's totals over every member (the summary JSON's "settlement"), in minor units.
 * Each deduction rule's own total: downline_result_deduction.
 */
typedef struct downline_settlement_totals {
  int64_t earned;           /**< payouts of the period, after the cap, with adjustments */
  int64_t balance_in;       /**< the state's balances */
  int64_t paid;
  uint64_t paid_members;
  int64_t fees;
  int64_t deductions;       /**< every deduction rule's total, added */
  int64_t carried_positive; /**< positive balances carried into the next period */
  int64_t carried_negative; /**< negative balances carried (zero or less) */
  int64_t forfeited;
} downline_settlement_totals;

DOWNLINE_C_API downline_status downline_result_settlement(downline_settlement_totals* out,
                                                          const downline_result* result);
/** Number of the plan's deduction rules (0 for NULL). */
DOWNLINE_C_API size_t downline_result_deduction_count(const downline_result* result);
/**
 * Deduction rule i's name (valid while the result lives) and its total over every member, in
 * minor units. Errors: DOWNLINE_ERROR_USAGE for i out of range.
 */
DOWNLINE_C_API downline_status downline_result_deduction(const char** name, int64_t* total,
                                                         const downline_result* result, size_t i);

/* ---- custom bonus types ------------------------------------------------------------------- */

/**
 * What a custom bonus sees of one period. Members are numbered by row: their index in the
 * network's input order (downline_network_id). Every array is read-only and valid only during
 * the `evaluate` call. Fields may be added at the end in later versions.
 */
typedef struct downline_period_view {
  size_t member_count;
  const uint32_t* parent;    /**< sponsor's row, DOWNLINE_NO_MEMBER for a root */
  const int64_t* pv;         /**< personal volume, ten-thousandths */
  const int64_t* gv;         /**< group volume (breakaway-aware), ten-thousandths */
  const int32_t* rank;       /**< paid rank index, DOWNLINE_NO_RANK below the first */
  const uint8_t* active;     /**< 1 when PV >= the plan's active_pv */
  const uint8_t* qualified;  /**< 1 when qualified for this bonus (active unless require_active
                                  is false, and at least min_rank): only these members earn */
  size_t line_count;         /**< sale lines of the period, in ledger order */
  const uint32_t* line_member; /**< buyer's row */
  const int64_t* line_amount;  /**< millionths (DOWNLINE_AMOUNT_DECIMALS) */
  const int64_t* line_volume;  /**< ten-thousandths */
  const uint8_t* line_kind;    /**< DOWNLINE_KIND_* */
  const char* bonus_name;
  int money_decimals;
  int explain;                 /**< non-zero when the run keeps explanation lines */
  size_t rank_count;
  const char* const* rank_names; /**< the plan's ranks, lowest first */
  const void* internal;          /**< reserved for downline */
} downline_period_view;

/**
 * Where a custom bonus writes one period's pay. `amounts` has member_count entries (by row),
 * all zero on entry, in units of 10^-amount_decimals of the currency: the plan's money_decimals
 * (minor units) on entry; set amount_decimals to DOWNLINE_EXACT_DECIMALS (12) to give exact,
 * unrounded amounts. Each member's total is then rounded once with the plan's rounding.
 * Amounts of members that are not `qualified` are dropped, as for every bonus.
 */
typedef struct downline_bonus_output {
  int64_t* amounts;
  int amount_decimals; /**< 0..12 */
  void* internal;      /**< reserved for downline */
} downline_bonus_output;

#define DOWNLINE_BONUS_TYPE_VERSION 1

/**
 * A bonus type implemented in C. Fill it, then downline_register_bonus_type("my_type", &t);
 * a plan may then list `{ "name": "x", "type": "my_type", ... }`. The common keys `name`,
 * `type`, `min_rank` and `require_active` are handled by downline; the rest is the type's.
 *
 * Callbacks return 0 on success. On failure they write a NUL-terminated message into
 * `message` (at most message_size bytes, always at least 256), naming the offending value in
 * single quotes ("unknown key 'colour'"); downline turns it into the plan error
 * ("plan.json: bonuses[1]: unknown key 'colour'") or a DOWNLINE_ERROR_CALLBACK run error.
 * Callbacks must not call downline_run; they may be called from any thread that runs a plan.
 */
typedef struct downline_bonus_type {
  uint32_t version; /**< DOWNLINE_BONUS_TYPE_VERSION */
  void* payload;    /**< passed back to every callback */
  /**
   * Optional (NULL accepts any keys). Called once for each bonus of this type in a plan being
   * loaded, with the bonus's JSON object as text (numbers exactly as written). May store
   * per-bonus data in *bonus_data (NULL on entry), released by `release_bonus`.
   */
  int (*configure)(void* payload, const char* bonus_json, void** bonus_data, char* message, size_t message_size);
  /** Required. Called once per period for each bonus of this type. */
  int (*evaluate)(void* payload, void* bonus_data, const downline_period_view* period, downline_bonus_output* out,
                  char* message, size_t message_size);
  /** Optional. Releases bonus_data when the last plan holding the bonus is destroyed. */
  void (*release_bonus)(void* payload, void* bonus_data);
  /** Optional. Releases the payload once the type is replaced and no plan uses it any more. */
  void (*release_payload)(void* payload);
} downline_bonus_type;

/**
 * Registers (or replaces) a custom bonus type for every plan loaded afterwards, process-wide.
 * `type` is copied. The names of the built-in types of SPEC §5 (unilevel, binary, matrix,
 * stairstep, matching, fast_start, pool) cannot be taken. Thread-safe.
 */
DOWNLINE_C_API downline_status downline_register_bonus_type(const char* name, const downline_bonus_type* type);

/**
 * From `evaluate`: pays `rate` (millionths) x `base` (millionths) to `earner`, exactly, and,
 * when the run explains, records an explanation line for it: `source` is the row of the buyer
 * or downline earner (DOWNLINE_NO_MEMBER: none), `line` the index of the sale line in the
 * period view (or DOWNLINE_NO_MEMBER), `level` its level (0: none). Adds to `out->amounts`
 * without changing them.
 */
DOWNLINE_C_API downline_status downline_bonus_credit(downline_bonus_output* out, uint32_t earner, uint32_t source,
                                                     uint32_t line, uint32_t level, int64_t base, int64_t rate);

/** From `evaluate`: the id of the member in row `member`, copied into `buffer`. */
DOWNLINE_C_API downline_status downline_period_member_id(char* buffer, size_t size, size_t* needed,
                                                         const downline_period_view* period, uint32_t member);

#ifdef __cplusplus
}
#endif

#endif /* DOWNLINE_DOWNLINE_H */
