#pragma once

#include <string>
#include <string_view>

namespace portal::accounts {

// 32 bytes from the operating system's CSPRNG, base64url without padding: 43 characters that
// are safe in a cookie, a form field and a URL. Thread safe.
std::string randomToken();
constexpr std::size_t kTokenLength = 43;

// Hex BLAKE2b-256 of a session token (64 characters): what the sessions table stores, so the
// table alone opens no session.
std::string tokenDigest(std::string_view token);

// Equality whose time does not depend on where the strings differ (sodium_memcmp); only the
// lengths may leak.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace portal::accounts
