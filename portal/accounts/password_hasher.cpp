#include "portal/accounts/password_hasher.h"

#include <sodium.h>

#include <algorithm>
#include <set>
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

namespace {

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A run of the alphabet, the digits or a keyboard row (either way): 1234567890, qwertyuiop,
// 1qaz2wsx3edc, zyxwvutsrq.
bool isSequence(const std::string& lower) {
  static const std::string kRuns[] = {"abcdefghijklmnopqrstuvwxyz", "01234567890",
                                      "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm",
                                      "zaq12wsxcde34rfvbgt56yhnmju78ik"};
  for (const std::string& run : kRuns) {
    std::string back(run.rbegin(), run.rend());
    if (run.find(lower) != std::string::npos || back.find(lower) != std::string::npos) return true;
  }
  return false;
}

// The letters of the password, when the rest is only digits and symbols, is a common password
// word: Password2026!, Admin@12345, woaini1314.
bool isCommonWordWithDigits(const std::string& lower) {
  static const std::set<std::string> kCommon = {
      "password", "passw", "passwd", "pass", "pwd", "admin", "administrator", "root", "test",
      "qwerty", "asdf", "abc", "abcd", "woaini", "iloveyou", "welcome", "letmein", "hello",
      "user", "guest", "love", "aa", "a", "zhzf", "zhifa", "portal", "changeme", "default"};
  std::string letters;
  for (char c : lower) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return false;  // Chinese and other scripts: not a common ASCII word
    if (c >= 'a' && c <= 'z') letters += c;
  }
  return letters.empty() || kCommon.count(letters) > 0;
}

}  // namespace

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
  if (all_digits) return problems;
  const std::string lower = asciiLower(password);
  std::string distinct(password);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < 4) {
    problems.push_back("密码不能由少数几个字符重复组成");
  } else if (isSequence(lower)) {
    problems.push_back("密码不能是连续的字母、数字或键盘上的一排键");
  } else if (isCommonWordWithDigits(lower)) {
    problems.push_back("密码过于常见（如 password、admin 加数字），容易被猜中，请换一个");
  }
  return problems;
}

}  // namespace portal::accounts
