// The alert and trace queries behind AlertQueries (alerts.h). Private to alerts/.
// Each function answers one Query kind for an authenticated caller as JSON text (or, where noted,
// as the kind's answer message when Query.format is PROTOBUF); shapes are in docs/alerts.md. Thread-safe (they only read, or go through the engine and the store).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "foodtrace/alerts/alerts.h"

namespace foodtrace::alerts {

struct Caller {
  v1::Party party;
  bool privileged() const {
    return party.kind() == v1::Party::OPERATOR || party.kind() == v1::Party::REGULATOR;
  }
};

// Errors: PERMISSION_DENIED naming what only regulators and the operator may do.
Status RequirePrivileged(const Caller& caller, const std::string& what);

nlohmann::json AlertJson(const v1::Alert& alert);
// "gtin" / "product_code" fields of a product key.
void PutProduct(const std::string& product, nlohmann::json* out);
// The product key a query names (gtin or product_code). Errors: QUERY_PRODUCT when neither.
Result<std::string> QueryProduct(const v1::Query& query);

// queries_trace.cc (TRACE_DOWN and RECALL_IMPACT also answer PROTOBUF)
Result<std::string> TraceDownQuery(const ledger::Ledger& ledger, const Caller& caller, const v1::Query& q);
Result<std::string> RecallImpactQuery(const ledger::Ledger& ledger, const Caller& caller, const v1::Query& q);
Result<std::string> TraceUpQuery(const ledger::Ledger& ledger, const Caller& caller, const v1::Query& q);
// queries_expiring.cc (also PROTOBUF)
Result<std::string> ExpiringQuery(const ledger::Ledger& ledger, AlertEngine& engine, const Caller& caller,
                                  const v1::Query& q);

// queries.cc
Result<std::string> AlertsQuery(const ledger::Ledger& ledger, AlertEngine& engine, const Caller& caller,
                                const v1::Query& q);
Result<std::string> AlertStateQuery(AlertEngine& engine, const ledger::Ledger& ledger, const Caller& caller,
                                    const v1::Query& q);
Result<std::string> SweepQuery(AlertEngine& engine, const Caller& caller);
Result<std::string> RecallStatusQuery(const ledger::Ledger& ledger, AlertEngine& engine, const Caller& caller,
                                      const v1::Query& q);
Result<std::string> WebhooksQuery(AlertEngine& engine, const Caller& caller, const v1::Query& q);

}  // namespace foodtrace::alerts
