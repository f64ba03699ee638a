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
//  - a keyed hash: BLAKE2b-256 keyed with the node's tracking key (32 random bytes in a file
//    under DATA_DIR, mode 0600, never in the database), over a random per-row salt and the
//    code. That is enough: a tracking code guards a complaint stored in the same database, so
//    whoever holds the database already has what the code protects, and a slow hash would
//    only defend the code itself. Against a leaked dump without the key file the keyed hash is
//    as strong as any: without the key no guess of a code can be checked offline at all
//    (argon2id only makes each guess slower). Online guessing is bounded by the lookup rate
//    limits, not by the hash. It costs microseconds, so intake no longer spends 20-35 ms of
//    CPU per complaint (argon2id stays for staff passwords, which people reuse elsewhere).
//  - sealed (XSalsa20-Poly1305) under a key derived from the client's idempotency key, so that
//    a retried submission can be answered with the same code it was first given without
//    keeping the code in clear. Whoever holds the idempotency key (the browser that sent the
//    form) can already see the code, so this gives nothing away.
// Hashes written before the keyed hash (argon2id, "$argon2id$...") still verify; the service
// replaces them with a keyed hash on the next successful lookup.
//
// All functions are thread safe. They throw HotlineError when libsodium cannot initialise or
// runs out of memory.
class TrackingCode {
 public:
  static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

  static std::string generate(std::size_t length);

  // Upper-cases and drops spaces and hyphens, so "abcd-2345" matches "ABCD2345"; full-width
  // letters and digits, the ideographic space and other dashes are read as their ASCII forms,
  // as a Chinese input method in full-width mode types them ("ａｂｃｄ－２３４５").
  static std::string normalize(std::string_view input);

  static constexpr std::size_t kKeyBytes = 32;

  // A fresh random tracking key (kKeyBytes raw bytes).
  static std::string generateKey();
  // The key in `path`; when the file does not exist, a new key written there first (mode
  // 0600, the folder created). Throws HotlineError when the file cannot be read or written or
  // does not hold exactly kKeyBytes.
  static std::string loadOrCreateKey(const std::string& path);

  // "kh1$<salt hex>$<BLAKE2b-256 hex>" keyed with `key` (kKeyBytes). Microseconds.
  static std::string hash(const std::string& code, const std::string& key);

  enum class Match { No, Yes, YesLegacy };
  // Checks `code` against a stored hash: a keyed hash (constant-time compare) or, for
  // complaints filed before it, an argon2id string (YesLegacy: re-hash it). No for a wrong
  // code and for a malformed hash.
  static Match verify(const std::string& stored_hash, const std::string& code,
                      const std::string& key);
  // The argon2id string hashes written before the keyed hash (kept for tests of the upgrade).
  static std::string legacyHash(const std::string& code, std::uint64_t opslimit,
                                std::size_t memlimit);

  // Hex BLAKE2b-256 of the idempotency key (stored in place of the key), within `client`: ""
  // for the forms (the hash of the key alone), an Open311 api_key otherwise, so that two
  // clients who happen to choose the same key never meet each other's submission.
  static std::string idempotencyKeyHash(std::string_view idempotency_key,
                                        std::string_view client = {});
  // Hex nonce + ciphertext.
  static std::string seal(const std::string& code, std::string_view idempotency_key);
  // std::nullopt when the key does not open the box.
  static std::optional<std::string> open(const std::string& sealed_hex,
                                         std::string_view idempotency_key);
};

}  // namespace hotline
