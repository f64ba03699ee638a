#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/complaint.h"

namespace hotline {

// Formats unified registration numbers (seed item 16) from HotlineOptions::registration_format.
// The number itself (the sequence) is allocated by ComplaintStore inside the intake's
// transaction; this class only turns (source, year, sequence) into text. Immutable; safe to
// share between threads.
class RegistrationNumberFormat {
 public:
  // Throws std::invalid_argument when the pattern lacks {source}, {year} or {seq}, has an
  // unknown placeholder, an unclosed brace, or a padding outside 1-12: a configuration error
  // to report at start-up.
  explicit RegistrationNumberFormat(std::string pattern);

  // Precondition: sequence >= 1. A sequence longer than the padding is printed in full.
  std::string format(Source source, int year, std::int64_t sequence) const;

  // True when `normalized` (normalizeRegistrationNo) has this pattern's shape: its literal text,
  // a source code (TS XC JB ZB), a year of four digits and a sequence of at least its padding
  // (at least one) digits. Says nothing of whether such a complaint exists.
  bool matches(std::string_view normalized) const;

  // The number `normalized` (normalizeRegistrationNo) stands for, in this pattern's form, when
  // it is a whole number typed loosely: the punctuation between the fields left out
  // ("TS2026000043") or the sequence without its leading zeros ("TS-2026-43"), or both.
  // std::nullopt for anything else (a part of a number, another shape).
  std::optional<std::string> canonical(std::string_view normalized) const;

  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
};

// A registration number as typed by a person, in the one form every lookup and limit uses:
// full-width letters, digits and punctuation turned into ASCII, dashes of any kind into '-',
// every space (ASCII, U+3000, U+00A0) removed, ASCII letters upper-cased. "ｔｓ－２０２６－０００００１ "
// and "ts-2026-000001" are both "TS-2026-000001". Invalid UTF-8 comes back with only the ASCII
// rules applied (it then matches nothing).
std::string normalizeRegistrationNo(std::string_view typed);
// The same, then a whole number typed loosely written in `format`'s form
// (RegistrationNumberFormat::canonical): "TS2026000043", "ts 2026 000043" and "TS-2026-43" are
// all "TS-2026-000043". What every lookup and every per-number limit uses.
std::string normalizeRegistrationNo(std::string_view typed, const RegistrationNumberFormat& format);

}  // namespace hotline
