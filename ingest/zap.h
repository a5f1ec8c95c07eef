// The ZAP handler (RFC 27/ZAP) that binds each CURVE connection to a party.
//
// libzmq asks it, on inproc://zeromq.zap.01 in the gateway's context, about every CURVE
// handshake on the ROUTER. Request frames:
//   [ "1.0" ][ request id ][ domain ][ peer address ][ routing id ][ "CURVE" ][ 32-byte key ]
// Reply frames:
//   [ "1.0" ][ request id ][ "200" | "400" | "500" ][ status text ][ user id ][ metadata: empty ]
// 200 admits the key with user id = the party id, which libzmq then attaches to every message
// of that connection as the "User-Id" property; 400 refuses the handshake (the client sees
// ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, or a timeout); 500 is a ledger failure.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "foodtrace/common/status.h"

namespace foodtrace::ingest {

inline constexpr char kZapEndpoint[] = "inproc://zeromq.zap.01";

// Maps a Z85 CURVE public key to its party id. NOT_FOUND refuses the key (400); any other
// error fails the handshake as a server error (500). Called on the ZAP thread.
using KeyAuthenticator = std::function<Result<std::string>(const std::string& public_key_z85)>;

// Answers ZAP requests on `socket` (a REP bound to kZapEndpoint) until the context is shut down
// or `stop` is set (checked every kIngestPollTimeoutMs). Never throws; counts refusals.
void RunZapHandler(zmq::socket_t& socket, const KeyAuthenticator& authenticate,
                   const std::atomic<bool>& stop, std::atomic<std::uint64_t>& refused);

}  // namespace foodtrace::ingest
