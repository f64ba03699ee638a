#include "hotline/tracking_code.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "base/utf8.h"
#include "hotline/hotline_error.h"

namespace hotline {
namespace fs = std::filesystem;
namespace {

void ensureSodium() {
  static const int status = sodium_init();  // thread safe; 1 means "already initialised"
  if (status < 0) throw HotlineError("libsodium could not be initialised");
}

// Distinct fixed keys make the idempotency hash and the sealing key independent functions of
// the same client key.
constexpr std::string_view kIdempotencyContext = "lawportal.hotline.idempotency.v1";
constexpr std::string_view kClientIdempotencyContext = "lawportal.hotline.idempotency.client.v1";
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
  for (std::size_t i = 0; i < input.size();) {
    const std::size_t at = i;
    char32_t cp = base::decodeUtf8(input, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII (a Chinese IME's "ＡＢ２３")
    if (cp == U'-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x30FC ||
        base::isBlank(cp)) {
      continue;  // spaces (also 全角空格) and hyphens or dashes of any width
    }
    if (cp < 0x80) {
      out += static_cast<char>(std::toupper(static_cast<int>(cp)));
    } else {
      out.append(input.substr(at, i - at));  // never in a code: the lookup fails as it should
    }
  }
  return out;
}

std::string TrackingCode::generateKey() {
  ensureSodium();
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string TrackingCode::loadOrCreateKey(const std::string& path) {
  std::error_code ec;
  const fs::path file(path);
  if (!fs::exists(file, ec)) {
    if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
    const std::string key = generateKey();
    // O_EXCL: two processes starting at once cannot both write a key; the loser reads the
    // winner's below.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
      const bool synced = ::fsync(fd) == 0;
      ::close(fd);
      if (!written || !synced) {
        ::unlink(path.c_str());
        throw HotlineError("cannot write the tracking key " + path);
      }
      return key;
    }
    if (errno != EEXIST) throw HotlineError("cannot create the tracking key " + path);
  }
  std::ifstream in(path, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw HotlineError("cannot read the tracking key " + path);
  if (key.size() != kKeyBytes) {
    throw HotlineError("the tracking key " + path + " must hold exactly " +
                       std::to_string(kKeyBytes) + " bytes");
  }
  return key;
}

namespace {

constexpr std::string_view kKeyedPrefix = "kh1$";
constexpr std::size_t kSaltBytes = 16;

std::array<unsigned char, 32> keyedCodeHash(const std::string& key, const unsigned char* salt,
                                            const std::string& code) {
  if (key.size() != TrackingCode::kKeyBytes) {
    throw HotlineError("the tracking key must be " + std::to_string(TrackingCode::kKeyBytes) +
                       " bytes");
  }
  std::array<unsigned char, 32> out{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                          out.size());
  crypto_generichash_update(&state, salt, kSaltBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(code.data()),
                            code.size());
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

}  // namespace

std::string TrackingCode::hash(const std::string& code, const std::string& key) {
  ensureSodium();
  std::array<unsigned char, kSaltBytes> salt{};
  randombytes_buf(salt.data(), salt.size());
  const auto digest = keyedCodeHash(key, salt.data(), code);
  return std::string(kKeyedPrefix) + toHex(salt.data(), salt.size()) + "$" +
         toHex(digest.data(), digest.size());
}

TrackingCode::Match TrackingCode::verify(const std::string& stored_hash, const std::string& code,
                                         const std::string& key) {
  ensureSodium();
  if (stored_hash.rfind(kKeyedPrefix, 0) == 0) {
    const std::size_t salt_at = kKeyedPrefix.size();
    const std::size_t digest_at = salt_at + kSaltBytes * 2 + 1;
    if (stored_hash.size() != digest_at + 64 || stored_hash[digest_at - 1] != '$') return Match::No;
    std::array<unsigned char, kSaltBytes> salt{};
    std::array<unsigned char, 32> stored{};
    if (sodium_hex2bin(salt.data(), salt.size(), stored_hash.data() + salt_at, kSaltBytes * 2,
                       nullptr, nullptr, nullptr) != 0 ||
        sodium_hex2bin(stored.data(), stored.size(), stored_hash.data() + digest_at, 64, nullptr,
                       nullptr, nullptr) != 0) {
      return Match::No;
    }
    const auto digest = keyedCodeHash(key, salt.data(), code);
    return sodium_memcmp(digest.data(), stored.data(), digest.size()) == 0 ? Match::Yes : Match::No;
  }
  if (stored_hash.rfind("$argon2id$", 0) == 0 &&
      crypto_pwhash_str_verify(stored_hash.c_str(), code.data(), code.size()) == 0) {
    return Match::YesLegacy;
  }
  return Match::No;
}

std::string TrackingCode::legacyHash(const std::string& code, std::uint64_t opslimit,
                                     std::size_t memlimit) {
  ensureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), code.data(), code.size(), opslimit, memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw HotlineError("argon2id hashing failed (out of memory?)");
  }
  return std::string(out.data());
}

std::string TrackingCode::idempotencyKeyHash(std::string_view idempotency_key,
                                             std::string_view client) {
  if (client.empty()) {
    const auto digest = keyedBlake2b(kIdempotencyContext, idempotency_key);
    return toHex(digest.data(), digest.size());
  }
  // The client's length first, so ("ab", "c...") and ("a", "bc...") are different messages.
  std::string message = std::to_string(client.size()) + ":";
  message.append(client);
  message.append(idempotency_key);
  const auto digest = keyedBlake2b(kClientIdempotencyContext, message);
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
