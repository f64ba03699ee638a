#include "hotline/tracking_code.h"

#include <sodium.h>

#include <array>
#include <cctype>
#include <vector>

#include "hotline/hotline_error.h"

namespace hotline {
namespace {

void ensureSodium() {
  static const int status = sodium_init();  // thread safe; 1 means "already initialised"
  if (status < 0) throw HotlineError("libsodium could not be initialised");
}

// Distinct fixed keys make the idempotency hash and the sealing key independent functions of
// the same client key.
constexpr std::string_view kIdempotencyContext = "lawportal.hotline.idempotency.v1";
constexpr std::string_view kSealContext = "lawportal.hotline.tracking-seal.v1";

std::array<unsigned char, 32> keyedBlake2b(std::string_view context, std::string_view message) {
  ensureSodium();
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), reinterpret_cast<const unsigned char*>(context.data()),
                     context.size());
  return out;
}

std::string toHex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.resize(size * 2);
  return hex;
}

}  // namespace

std::string TrackingCode::generate(std::size_t length) {
  ensureSodium();
  std::string code;
  code.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    code += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return code;
}

std::string TrackingCode::normalize(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string TrackingCode::hash(const std::string& code, std::uint64_t opslimit,
                               std::size_t memlimit) {
  ensureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), code.data(), code.size(), opslimit, memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw HotlineError("argon2id hashing failed (out of memory?)");
  }
  return std::string(out.data());
}

bool TrackingCode::verify(const std::string& stored_hash, const std::string& code) {
  ensureSodium();
  return crypto_pwhash_str_verify(stored_hash.c_str(), code.data(), code.size()) == 0;
}

std::string TrackingCode::idempotencyKeyHash(std::string_view idempotency_key) {
  const auto digest = keyedBlake2b(kIdempotencyContext, idempotency_key);
  return toHex(digest.data(), digest.size());
}

std::string TrackingCode::seal(const std::string& code, std::string_view idempotency_key) {
  const auto key = keyedBlake2b(kSealContext, idempotency_key);
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 code.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(code.data()), code.size(),
                        box.data(), key.data());
  return toHex(box.data(), box.size());
}

std::optional<std::string> TrackingCode::open(const std::string& sealed_hex,
                                              std::string_view idempotency_key) {
  const auto key = keyedBlake2b(kSealContext, idempotency_key);
  std::vector<unsigned char> box(sealed_hex.size() / 2);
  std::size_t len = 0;
  if (sodium_hex2bin(box.data(), box.size(), sealed_hex.c_str(), sealed_hex.size(), nullptr, &len,
                     nullptr) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  const std::size_t cipher_len = len - crypto_secretbox_NONCEBYTES;
  std::string code(cipher_len - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(code.data()),
                                 box.data() + crypto_secretbox_NONCEBYTES, cipher_len, box.data(),
                                 key.data()) != 0) {
    return std::nullopt;
  }
  return code;
}

}  // namespace hotline
