#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portal::accounts {

// How expensive one argon2id hash is (libsodium's presets).
enum class HashCost {
  Interactive,  // OPSLIMIT/MEMLIMIT_INTERACTIVE: 2 passes, 64 MiB, ~0.1 s. The default.
  Moderate,     // OPSLIMIT/MEMLIMIT_MODERATE: 3 passes, 256 MiB, ~0.7 s
  Minimum,      // OPSLIMIT/MEMLIMIT_MIN: for tests only, offers no protection
};

// argon2id password hashes in libsodium's encoded form ("$argon2id$v=19$m=...,t=...,p=1$...").
// Thread safe: holds only its cost parameters. Each hash() or verify() allocates the cost's
// memory (64 MiB for Interactive) for its duration, so bound how many logins run at once
// (the worker pool does).
class PasswordHasher {
 public:
  explicit PasswordHasher(HashCost cost = HashCost::Interactive);

  // Throws std::runtime_error when the memory cannot be allocated.
  std::string hash(std::string_view password) const;
  // False for a wrong password and for a malformed or truncated hash.
  bool verify(const std::string& encoded, std::string_view password) const;
  // True when `encoded` was made with other parameters than this hasher's (or is malformed):
  // rehash on the next successful login.
  bool needsRehash(const std::string& encoded) const;

 private:
  unsigned long long ops_limit_;
  std::size_t mem_limit_;
};

// The password policy, in Chinese, one message per broken rule; empty means acceptable:
// at least 10 characters (any script), at most 128, not only digits, not the username, and
// not guessable (NIST SP 800-63B 5.1.1.2: length over composition rules, but no repetitive or
// sequential characters and no commonly used password): at least 4 different characters, not
// a run of the alphabet, the digits or a keyboard row, and not a common word (password, admin,
// qwerty, woaini, ...) with only digits and symbols around it.
std::vector<std::string> checkPasswordPolicy(std::string_view password, std::string_view username);

// Initialises libsodium once, thread safe; every function here calls it. Throws
// std::runtime_error if libsodium cannot start (no entropy source).
void ensureSodium();

}  // namespace portal::accounts
