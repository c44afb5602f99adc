// SHA-256 and base64 (RFC 4648), from OpenSSL's libcrypto, for the Content-Security-Policy hashes of the HTML
// report's inline script and style.
//
// Thread-safety: pure functions.
#ifndef LEAKHOUND_UTIL_SHA256_H_
#define LEAKHOUND_UTIL_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace leakhound::util {

std::array<uint8_t, 32> Sha256(std::string_view data);

// Standard alphabet with '=' padding.
std::string Base64(std::string_view bytes);

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_SHA256_H_
