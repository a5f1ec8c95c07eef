// foodtrace ingest: records reach the ledger over ZeroMQ.
//
//   keys.h      CURVE keypairs and 0600 JSON key files; the server and operator keys of a data
//               directory (LoadOrCreateServerKeys).
//   gateway.h   Gateway: the ROUTER in front of the ledger (CURVE + ZAP: a request's party is the
//               party of the key it arrived under), and the query handlers (LedgerQueries).
//   client.h    Client: the DEALER a vendor, kiosk or tool uses; batches, timeouts, retries
//               with the same ids (never double-counted).
//   protocol.h  Envelope error codes (Reply.error_code).
//
// The wire protocol, limits and guarantees are in docs/protocol.md. No ZeroMQ type appears in
// these headers; errors are Status values.
#pragma once

#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ingest/keys.h"
#include "foodtrace/ingest/protocol.h"
