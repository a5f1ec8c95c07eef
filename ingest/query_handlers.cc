// Composing query handlers: UnsupportedQuery and ChainQueryHandlers (gateway.h).
#include <utility>

#include "foodtrace/ingest/gateway.h"

namespace foodtrace::ingest {

Status UnsupportedQuery(v1::Query::Kind kind) {
  return Status(Code::kNotFound, kQueryKindUnsupported,
                "this server does not answer " + v1::Query::Kind_Name(kind) + " queries");
}

Status UnsupportedFormat(v1::Query::Kind kind) {
  return Status::Invalid(kQueryFormatUnsupported, v1::Query::Kind_Name(kind) +
                                                      " answers only JSON: leave format unset (JSON)");
}

QueryHandler ChainQueryHandlers(std::vector<QueryHandler> handlers) {
  return [handlers = std::move(handlers)](const std::string& party_id,
                                          const v1::Query& query) -> Result<std::string> {
    for (const QueryHandler& handler : handlers) {
      if (!handler)
        continue;
      Result<std::string> answer = handler(party_id, query);
      if (answer.ok() || answer.status().reason() != kQueryKindUnsupported)
        return answer;
    }
    return UnsupportedQuery(query.kind());
  };
}

}  // namespace foodtrace::ingest
