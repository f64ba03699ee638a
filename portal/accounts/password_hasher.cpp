#include "portal/accounts/password_hasher.h"

#include <sodium.h>

#include <stdexcept>

#include "portal/accounts/account.h"

namespace portal::accounts {

void ensureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    return true;
  }();
  (void)ready;
}

PasswordHasher::PasswordHasher(HashCost cost) {
  ensureSodium();
  switch (cost) {
    case HashCost::Interactive:
      ops_limit_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem_limit_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case HashCost::Moderate:
      ops_limit_ = crypto_pwhash_OPSLIMIT_MODERATE;
      mem_limit_ = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case HashCost::Minimum:
    default:
      ops_limit_ = crypto_pwhash_OPSLIMIT_MIN;
      mem_limit_ = crypto_pwhash_MEMLIMIT_MIN;
      break;
  }
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit_, mem_limit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& encoded, std::string_view password) const {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needsRehash(const std::string& encoded) const {
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), ops_limit_, mem_limit_) != 0;
}

std::vector<std::string> checkPasswordPolicy(std::string_view password, std::string_view username) {
  std::vector<std::string> problems;
  const std::size_t length = utf8Length(password);
  if (length < 10) problems.push_back("密码至少需要10个字符");
  if (length > 128) problems.push_back("密码不能超过128个字符");
  bool all_digits = !password.empty();
  for (char c : password) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) problems.push_back("密码不能全部是数字");
  if (!username.empty() && normalizeUsername(password) == normalizeUsername(username)) {
    problems.push_back("密码不能与用户名相同");
  }
  return problems;
}

}  // namespace portal::accounts
