#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

// The tracking code a complainant gets with the registration number. Short and unambiguous on
// paper and over the phone: drawn from "23456789ABCDEFGHJKMNPQRSTUVWXYZ" (31 characters, no
// 0/O, 1/I/L), 8 characters by default (about 40 bits), from libsodium's CSPRNG.
//
// Stored two ways, neither readable from the database alone:
//  - an argon2id hash (crypto_pwhash_str), checked on every lookup. A keyed hash would be
//    cheaper, but needs a server secret kept outside the database and rotated; argon2id needs
//    no secret, and with lookups rate limited its cost (tens of ms) is paid rarely.
//  - sealed (XSalsa20-Poly1305) under a key derived from the client's idempotency key, so that
//    a retried submission can be answered with the same code it was first given without
//    keeping the code in clear. Whoever holds the idempotency key (the browser that sent the
//    form) can already see the code, so this gives nothing away.
//
// All functions are thread safe. They throw HotlineError when libsodium cannot initialise or
// runs out of memory.
class TrackingCode {
 public:
  static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

  static std::string generate(std::size_t length);

  // Upper-cases and drops spaces and hyphens, so "abcd-2345" matches "ABCD2345".
  static std::string normalize(std::string_view input);

  static std::string hash(const std::string& code, std::uint64_t opslimit, std::size_t memlimit);
  // False for a wrong code and for a malformed hash. Takes as long as hash().
  static bool verify(const std::string& stored_hash, const std::string& code);

  // Hex BLAKE2b-256 of the idempotency key (stored in place of the key).
  static std::string idempotencyKeyHash(std::string_view idempotency_key);
  // Hex nonce + ciphertext.
  static std::string seal(const std::string& code, std::string_view idempotency_key);
  // std::nullopt when the key does not open the box.
  static std::optional<std::string> open(const std::string& sealed_hex,
                                         std::string_view idempotency_key);
};

}  // namespace hotline
