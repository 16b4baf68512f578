// SPDX-License-Identifier: MIT
#include "downline/generate.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "downline/detail/parallel.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace {

/** Dense member index in enrolment order (0 = the root); the id written is `M` + (index + 1). */
using index_t = std::uint32_t;
constexpr index_t no_member = 0xffffffffu;

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded through splitmix64, integer-only sampling.

/** splitmix64 step; used to expand a seed into xoshiro state. */
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/** 64×64 → 128-bit product as (high, low). */
inline void multiply_wide(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128;
  const u128 p = static_cast<u128>(a) * b;
  hi = static_cast<std::uint64_t>(p >> 64);
  lo = static_cast<std::uint64_t>(p);
#else
  const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
  const std::uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
  const std::uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
  hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  lo = (mid << 32) | (ll & 0xffffffffu);
#endif
}

/** xoshiro256** (Blackman & Vigna): small, fast, and the same sequence everywhere. */
class random_stream {
 public:
  /** A stream per (seed, stream) pair, so independent parts do not share state. */
  random_stream(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t sm = seed ^ (stream * 0xd1342543de82ef95ull);
    for (auto& word : s_) word = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /** Uniform in [0, n), n > 0, without bias (Lemire's multiply-and-reject). */
  std::uint64_t below(std::uint64_t n) {
    std::uint64_t hi, lo;
    multiply_wide(next(), n, hi, lo);
    if (lo < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (lo < threshold) multiply_wide(next(), n, hi, lo);
    }
    return hi;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/** Fisher–Yates with our own generator (std::shuffle's output is library-specific). */
void shuffle(std::vector<index_t>& v, random_stream& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng.below(i));
    std::swap(v[i - 1], v[j]);
  }
}

// ---------------------------------------------------------------------------------------------
// Text: hand-written integer formatting into a large buffer (written with fwrite below).

constexpr char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/** Writes `v` as exactly `width` digits (zero-padded) at `p`; returns the end. */
inline char* put_fixed(char* p, std::uint64_t v, int width) {
  char* end = p + width;
  char* q = end;
  while (width >= 2) {
    const std::size_t pair = static_cast<std::size_t>(v % 100) * 2;
    v /= 100;
    q -= 2;
    q[0] = digit_pairs[pair];
    q[1] = digit_pairs[pair + 1];
    width -= 2;
  }
  if (width == 1) *--q = static_cast<char>('0' + v % 10);
  return end;
}

/** Number of decimal digits of `v` (1 for 0). */
inline int digit_count(std::uint64_t v) {
  int n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

inline char* put_uint(char* p, std::uint64_t v) { return put_fixed(p, v, digit_count(v)); }

inline char* put_text(char* p, const char* s, std::size_t n) {
  std::memcpy(p, s, n);
  return p + n;
}

// ---------------------------------------------------------------------------------------------
// Calendar.

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/** The inverse of days_from_civil. */
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

/**
 * When members joined: enrolment index → day, linear over the 24 months before the period for
 * the first ~95% of members, then inside the period month for the last ~5%. Days are offsets
 * from the first day of the history; `text` holds every day's `YYYY-MM-DD`.
 */
struct calendar {
  std::uint64_t early = 0;    ///< members who joined before the period
  std::uint64_t late = 0;     ///< members who joined inside the period month
  std::uint32_t history = 0;  ///< days in the 24 months before the period
  std::uint32_t month_days = 0;
  std::vector<std::array<char, 10>> text;

  calendar(std::uint64_t members, int year, int month) {
    late = members / 20;
    early = members - late;
    const std::int64_t first = days_from_civil(year - 2, static_cast<unsigned>(month), 1);
    const std::int64_t start = days_from_civil(year, static_cast<unsigned>(month), 1);
    const std::int64_t end = month == 12 ? days_from_civil(year + 1, 1, 1)
                                         : days_from_civil(year, static_cast<unsigned>(month) + 1, 1);
    history = static_cast<std::uint32_t>(start - first);
    month_days = static_cast<std::uint32_t>(end - start);
    text.resize(static_cast<std::size_t>(end - first));
    for (std::int64_t day = first; day < end; ++day) {
      std::int64_t y;
      unsigned m, d;
      civil_from_days(day, y, m, d);
      char* p = text[static_cast<std::size_t>(day - first)].data();
      p = put_fixed(p, static_cast<std::uint64_t>(y), 4);
      *p++ = '-';
      p = put_fixed(p, m, 2);
      *p++ = '-';
      put_fixed(p, d, 2);
    }
  }

  /** Day offset on which member `i` joined; non-decreasing in `i`, so sponsors join first. */
  std::uint32_t joined(index_t i) const {
    if (i < early) return static_cast<std::uint32_t>(std::uint64_t{i} * history / early);
    return history + static_cast<std::uint32_t>((std::uint64_t{i} - early) * month_days / late);
  }
};

// ---------------------------------------------------------------------------------------------
// Output file.

/**
 * A file written through one big buffer. Until commit() succeeds, destruction closes and
 * removes the file, so a failure never leaves a partial file behind.
 */
class output_file {
 public:
  static constexpr std::size_t capacity = std::size_t{4} << 20;

  explicit output_file(std::filesystem::path path) : path_(std::move(path)), buffer_(capacity) {
    file_ = std::fopen(path_.string().c_str(), "wb");
    if (!file_) fail("cannot create");
  }
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  ~output_file() {
    if (file_) {
      std::fclose(file_);
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }

  /** A cursor with room for at least `n` more bytes; pass the advanced cursor to advance(). */
  char* room(std::size_t n) {
    if (used_ + n > buffer_.size()) flush();
    return buffer_.data() + used_;
  }
  void advance(char* end) { used_ = static_cast<std::size_t>(end - buffer_.data()); }

  /** Flushes and closes; the file is complete and stays. */
  void commit() {
    flush();
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) {
      const int saved = errno;
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
      errno = saved;
      fail("cannot write");
    }
  }

 private:
  void flush() {
    if (used_ != 0 && std::fwrite(buffer_.data(), 1, used_, file_) != used_) fail("cannot write");
    used_ = 0;
  }
  [[noreturn]] void fail(const char* what) const {
    const int saved = errno;
    std::string message = std::string(what) + " '" + path_.string() + "'";
    if (saved != 0) message += std::string(": ") + std::strerror(saved);
    throw std::runtime_error(message);
  }

  std::filesystem::path path_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  std::FILE* file_ = nullptr;
};

/** Room one row of either file needs at most (ids ≤ 11 bytes, positions ≤ 10 digits). */
constexpr std::size_t max_row = 128;

/** Writes member `i`'s id: `M` + (i + 1) zero-padded to `width` digits. */
inline char* put_id(char* p, index_t i, int width) {
  *p++ = 'M';
  return put_fixed(p, std::uint64_t{i} + 1, width);
}

// ---------------------------------------------------------------------------------------------
// network.csv

/** Sponsor of each member in enrolment order; see generate() in the header for the shape. */
std::vector<index_t> grow_sponsor_tree(index_t members, random_stream& rng) {
  constexpr index_t recent_window = 500;
  std::vector<index_t> sponsor(members);
  sponsor[0] = no_member;
  for (index_t i = 1; i < members; ++i) {
    const std::uint64_t pick = rng.below(20);
    if (pick < 6) {
      // 30%: one of the most recent members, so chains run deep.
      const index_t window = std::min(i, recent_window);
      sponsor[i] = i - 1 - static_cast<index_t>(rng.below(window));
    } else if (pick < 9 || i == 1) {
      // 15%: uniform over earlier members (the "1 +" of the preferential weight).
      sponsor[i] = static_cast<index_t>(rng.below(i));
    } else {
      // 55%: the sponsor of a uniformly chosen earlier non-root member, i.e. a member
      // chosen with probability proportional to its recruits so far (copying an edge end).
      // With the 15% above, a sponsor is drawn with weight ≈ 1 + 3.7 × recruits: recruit
      // counts follow a power law (exponent ≈ 2.8), so a few members recruit thousands.
      sponsor[i] = sponsor[1 + rng.below(i - 1)];
    }
  }
  return sponsor;
}

/**
 * Simulates a placement tree of `width` positions per parent and returns, for each member
 * chosen to be written explicitly (~20%), its placement parent (no_member for the others).
 * Each member sits in the first free position of the first node with one on a random
 * downward walk from its sponsor. `children` (members × width) receives the tree.
 */
std::vector<index_t> simulate_placement(const std::vector<index_t>& sponsor, std::uint32_t width,
                                        random_stream& rng, std::vector<index_t>& children) {
  const std::size_t members = sponsor.size();
  children.assign(members * width, no_member);
  std::vector<index_t> explicit_parent(members, no_member);
  for (std::size_t i = 1; i < members; ++i) {
    index_t node = sponsor[i];
    for (;;) {
      index_t* slots = &children[std::size_t{node} * width];
      index_t* free_slot = std::find(slots, slots + width, no_member);
      if (free_slot != slots + width) {
        *free_slot = static_cast<index_t>(i);
        break;
      }
      node = slots[rng.below(width)];
    }
    if (rng.below(5) == 0) explicit_parent[i] = node;
  }
  return explicit_parent;
}

void write_network(const generate_options& options, const calendar& days,
                   const std::filesystem::path& path) {
  const auto members = static_cast<index_t>(options.members);
  const int id_width = std::max(6, digit_count(options.members));
  random_stream rng(options.seed, 1);

  std::vector<index_t> sponsor = grow_sponsor_tree(members, rng);

  const bool placed = options.placement != generated_placement::none;
  const std::uint32_t width =
      options.placement == generated_placement::binary ? 2 : options.matrix_width;
  std::vector<index_t> children, explicit_parent;
  if (placed) explicit_parent = simulate_placement(sponsor, width, rng, children);

  std::vector<index_t> rows(members);
  for (index_t i = 0; i < members; ++i) rows[i] = i;
  shuffle(rows, rng);

  output_file out(path);
  {
    static constexpr char header[] = "id,sponsor_id,joined";
    static constexpr char placement_header[] = ",placement_id,position";
    char* p = out.room(max_row);
    p = put_text(p, header, sizeof header - 1);
    if (placed) p = put_text(p, placement_header, sizeof placement_header - 1);
    *p++ = '\n';
    out.advance(p);
  }
  for (const index_t i : rows) {
    char* p = out.room(max_row);
    p = put_id(p, i, id_width);
    *p++ = ',';
    if (sponsor[i] != no_member) p = put_id(p, sponsor[i], id_width);
    *p++ = ',';
    p = put_text(p, days.text[days.joined(i)].data(), 10);
    if (placed) {
      *p++ = ',';
      const index_t parent = explicit_parent[i];
      if (parent != no_member) {
        p = put_id(p, parent, id_width);
        *p++ = ',';
        const index_t* slots = &children[std::size_t{parent} * width];
        const auto slot = static_cast<std::uint64_t>(std::find(slots, slots + width, i) - slots);
        if (options.placement == generated_placement::binary) {
          *p++ = slot == 0 ? 'L' : 'R';
        } else {
          p = put_uint(p, slot + 1);
        }
      } else {
        *p++ = ',';
      }
    }
    *p++ = '\n';
    out.advance(p);
  }
  out.commit();
}

// ---------------------------------------------------------------------------------------------
// sales.csv

/**
 * A keyed pseudorandom permutation of [0, n) that needs no memory: a 4-round Feistel network
 * over the smallest power of four ≥ n, cycle-walking back into range (O(1) expected; fewer
 * than 4 rounds of walking on average). The sales use it instead of an array of buyers,
 * because a random read into tens of megabytes per line cost more than all the rest.
 */
class keyed_permutation {
 public:
  keyed_permutation(std::uint64_t n, random_stream& rng) : n_(n) {
    int bits = 2;
    while ((std::uint64_t{1} << bits) < n) bits += 2;
    half_ = bits / 2;
    mask_ = (std::uint64_t{1} << half_) - 1;
    for (auto& key : keys_) key = rng.next();
  }

  std::uint64_t operator()(std::uint64_t x) const {
    do x = encrypt(x);
    while (x >= n_);
    return x;
  }

 private:
  std::uint64_t encrypt(std::uint64_t x) const {
    std::uint64_t left = x >> half_, right = x & mask_;
    for (const std::uint64_t key : keys_) {
      std::uint64_t t = (right ^ key) * 0x9e3779b97f4a7c15ull;
      t ^= t >> 29;
      t *= 0xbf58476d1ce4e5b9ull;
      const std::uint64_t mixed = left ^ ((t >> 32) & mask_);
      left = right;
      right = mixed;
    }
    return (left << half_) | right;
  }

  std::uint64_t n_;
  int half_ = 1;
  std::uint64_t mask_ = 1;
  std::array<std::uint64_t, 4> keys_{};
};

/**
 * Buyers and their appetite. Buyer j (0 ≤ j < count) is member `order(j)`; buyers are split
 * into levels by halving (level 0 the first half of j, level 1 the next quarter, …, the last
 * level what remains), and a buyer at level g is drawn with weight ⌊1024 × 1.5^g⌋: a power
 * law with exponent ~1.7, so a few members buy very often. Drawing is O(levels) over a tiny,
 * hot table.
 */
class buyer_pool {
 public:
  static constexpr std::size_t max_levels = 17;

  buyer_pool(std::uint64_t members, std::uint64_t buyers, random_stream& rng)
      : order_(members, rng), count_(buyers) {
    std::size_t levels = 1;
    while (levels < max_levels && (std::uint64_t{1} << levels) <= buyers) ++levels;
    std::uint64_t weight = 1024, offset = 0, remaining = buyers;
    for (std::size_t g = 0; g < levels; ++g) {
      const std::uint64_t size = g + 1 == levels ? remaining : remaining / 2;
      start_[g] = offset;
      size_[g] = size;
      mass_[g] = size * weight;
      total_ += mass_[g];
      offset += size;
      remaining -= size;
      weight = weight * 3 / 2;
    }
  }

  std::uint64_t count() const { return count_; }
  /** The j-th buyer, j < count(): the buyers in a random order. */
  index_t buyer(std::uint64_t j) const { return static_cast<index_t>(order_(j)); }
  /** A buyer drawn by appetite. */
  index_t draw(random_stream& rng) const {
    std::uint64_t r = rng.below(total_);
    std::size_t g = 0;
    while (r >= mass_[g]) r -= mass_[g++];
    return buyer(start_[g] + rng.below(size_[g]));
  }

 private:
  keyed_permutation order_;
  std::uint64_t count_;
  std::array<std::uint64_t, max_levels> start_{}, size_{}, mass_{};
  std::uint64_t total_ = 0;
};

/** One earlier sale line, remembered so that a refund can reverse it. */
struct past_line {
  index_t member = 0;
  std::uint32_t cents = 0;
  std::uint8_t kind = 0;
  std::uint8_t day = 0;
  bool refunded = false;
};

/** Writes one sale line; a refund has negative amount and volume. */
inline char* put_sale(char* p, index_t member, int id_width, bool refund, std::uint32_t cents,
                      std::uint8_t kind, const char* date, std::uint64_t order) {
  static constexpr const char* kind_text[] = {"retail", "personal", "fee"};
  static constexpr std::size_t kind_size[] = {6, 8, 3};
  p = put_id(p, member, id_width);
  *p++ = ',';
  if (refund) *p++ = '-';
  p = put_uint(p, cents / 100);
  *p++ = '.';
  p = put_fixed(p, cents % 100, 2);
  *p++ = ',';
  if (refund) *p++ = '-';
  p = put_uint(p, cents / 100);
  *p++ = ',';
  p = put_text(p, kind_text[kind], kind_size[kind]);
  *p++ = ',';
  p = put_text(p, date, 10);
  p = put_text(p, ",O", 2);
  p = put_uint(p, order);
  *p++ = '\n';
  return p;
}

void write_sales(const generate_options& options, const calendar& days,
                 const std::filesystem::path& path) {
  const int id_width = std::max(6, digit_count(options.members));
  const std::uint64_t k = options.sales_per_member_milli;
  const std::uint64_t lines = options.members / 1000 * k + options.members % 1000 * k / 1000;
  random_stream rng(options.seed, 2);

  // 60% of members buy at least once (their first lines are spread at random over the file);
  // the other lines go to buyers drawn by appetite.
  const std::uint64_t buyers =
      std::min(lines, std::max<std::uint64_t>(1, options.members * 3 / 5));
  const buyer_pool pool(options.members, buyers, rng);

  static constexpr std::uint32_t fee_cents[] = {2500, 4900, 9900};
  constexpr std::size_t memory = 4096;
  std::vector<past_line> recent(memory);
  std::size_t remembered = 0, next_slot = 0;

  const std::uint32_t period = days.history;
  const std::uint32_t month_days = days.month_days;

  output_file out(path);
  {
    static constexpr char header[] = "member_id,amount,volume,kind,date,order_id\n";
    char* p = out.room(max_row);
    out.advance(put_text(p, header, sizeof header - 1));
  }

  std::uint64_t first_next = 0;
  for (std::uint64_t line = 0; line < lines; ++line) {
    const std::uint64_t remaining = lines - line;
    const std::uint64_t first_left = buyers - first_next;
    char* p = out.room(max_row);

    if (first_left < remaining && remembered != 0 && rng.below(100) == 0) {
      past_line& original = recent[static_cast<std::size_t>(rng.below(remembered))];
      if (!original.refunded) {
        // A refund: the same member, kind and amount, negated, on or after the sale's day.
        original.refunded = true;
        const auto day = original.day + static_cast<std::uint32_t>(
                                            rng.below(month_days - original.day));
        out.advance(put_sale(p, original.member, id_width, true, original.cents, original.kind,
                             days.text[period + day].data(), line + 1));
        continue;
      }
    }

    index_t member;
    if (first_left != 0 && (first_left == remaining || rng.below(remaining) < first_left)) {
      member = pool.buyer(first_next++);
    } else {
      member = pool.draw(rng);
    }

    const std::uint64_t roll = rng.below(100);
    const std::uint8_t kind = roll < 80 ? 0 : roll < 97 ? 1 : 2;
    std::uint32_t cents;
    if (kind == 2) {
      cents = fee_cents[rng.below(3)];
    } else {
      // 5.00–200.00, small orders more common (the minimum of two uniforms).
      const auto a = static_cast<std::uint32_t>(rng.below(19501));
      const auto b = static_cast<std::uint32_t>(rng.below(19501));
      cents = 500 + std::min(a, b);
    }
    // Members who joined inside the period buy on or after the day they joined.
    const std::uint32_t first_day = member >= days.early ? days.joined(member) - period : 0;
    const auto day = first_day + static_cast<std::uint32_t>(rng.below(month_days - first_day));

    out.advance(put_sale(p, member, id_width, false, cents, kind, days.text[period + day].data(),
                         line + 1));

    recent[next_slot] = past_line{member, cents, kind, static_cast<std::uint8_t>(day), false};
    next_slot = (next_slot + 1) % memory;
    remembered = std::min(remembered + 1, memory);
  }
  out.commit();
}

}  // namespace

void generate(const generate_options& options, const std::filesystem::path& dir) {
  if (options.members == 0 || options.members > 0xffffffffull)
    throw std::invalid_argument("generate: members must be between 1 and 4294967295, got " +
                                std::to_string(options.members));
  if (options.month < 1 || options.month > 12)
    throw std::invalid_argument("generate: month must be 1..12, got " +
                                std::to_string(options.month));
  if (options.year < 3 || options.year > 9999)
    throw std::invalid_argument("generate: year must be 3..9999, got " +
                                std::to_string(options.year));
  if (options.placement == generated_placement::matrix &&
      (options.matrix_width < 2 || options.matrix_width > 1024))
    throw std::invalid_argument("generate: matrix width must be 2..1024, got " +
                                std::to_string(options.matrix_width));

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error("cannot create directory '" + dir.string() + "': " + ec.message());

  const calendar days(options.members, options.year, options.month);
  const std::filesystem::path network_path = dir / "network.csv";
  const std::filesystem::path sales_path = dir / "sales.csv";

  // The two files use separate random streams, so writing them concurrently changes nothing
  // in their bytes.
  try {
    detail::side_by_side([&] { write_network(options, days, network_path); },
                         [&] { write_sales(options, days, sales_path); });
  } catch (...) {  // the network's error first
    std::error_code ignored;
    std::filesystem::remove(network_path, ignored);
    std::filesystem::remove(sales_path, ignored);
    throw;
  }
}

DOWNLINE_END_NAMESPACE
