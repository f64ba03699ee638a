#pragma once

#include <memory>
#include <string>

#include "hotline/hotline_error.h"
#include "hotline/sms_options.h"

namespace hotline {

// One message as a gateway adapter needs it.
struct OutgoingSms {
  std::string recipient;  // "+8613812345678"
  std::string text;       // UTF-8
  std::string ref;        // our per-message token (the outbox's dlr_token)
  // Where the gateway reports delivery, {dlr_base_url}/sms/dlr/{token} without a query (the
  // Kannel adapter adds ?status=%d); "" for none.
  std::string dlr_url;
};

struct SendResult {
  enum class Outcome {
    Accepted,   // the gateway took it: mark sent
    Retry,      // network error, timeout, 5xx, garbage: try again later
    Permanent,  // the gateway says it can never be sent (a bad number): failed, no retry
  };
  Outcome outcome = Outcome::Retry;
  std::string message_id;  // the provider's id, when it gives one
  std::string error;       // for staff: status and a printable excerpt, or the curl error
};

// A gateway configuration that cannot work (unknown placeholder, bad regular expression,
// missing URL). Thrown when the gateway is built, so the server refuses to start.
class GatewayError : public HotlineError {
 public:
  using HotlineError::HotlineError;
};

// Sends one SMS over HTTP. Implementations are thread safe (each send is its own libcurl
// handle, with CURLOPT_NOSIGNAL and connect and total timeouts) and never throw for what the
// gateway or the network does: every such failure is a SendResult.
class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  virtual SendResult send(const OutgoingSms& message) = 0;
  virtual const std::string& name() const = 0;
};

// The adapter the options ask for. Throws GatewayError for an unusable configuration.
std::unique_ptr<SmsGateway> makeGateway(const GatewayOptions& options);

}  // namespace hotline
