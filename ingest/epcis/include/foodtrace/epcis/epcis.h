// GS1 EPCIS 2.0 (JSON / JSON-LD) in and out of the foodtrace ledger.
//
// Capture: ReadCaptureDocument validates an EPCISDocument against the EPCIS 2.0 data model
// in code (required members and their JSON types, event types, CBV 2.0 bizStep and disposition
// values, eventTime and eventTimeZoneOffset, quantities and their units, EPC and location
// identifiers with their GS1 check digits) and maps each valid event to one ledger entry
// (docs/epcis.md has the table). Every event stands alone: a bad event gets its own reason and
// does not affect its neighbours. The ledger then applies its own rules to each entry (unknown
// GLNs, permissions, lot consistency) through the one write path every record takes.
//
// Idempotency: each entry carries the event's eventID (LedgerEntry.epcis_event_id), or, when
// the event has none, the event hash of CBV 2.0 §8.9 ("ni:///sha-256;…?ver=CBV2.0") computed
// here; the ledger answers a second capture of the same event DUPLICATE.
//
// Query and export: EventJson writes a ledger entry as an EPCIS 2.0 event (captured entries
// keep their eventID; others get "urn:foodtrace:entry:<party>:<event_id>", which capture maps
// back onto the same entry, so capture(export(x)) records nothing new); DocumentJson wraps
// events in an EPCISDocument or an EPCISQueryDocument; Matches filters by the query subset
// the portal offers.
//
// Every function is pure (apart from its arguments) and thread-safe. nlohmann::json stays
// inside this component: documents go in and out as text.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/common/time_zone.h"
#include "foodtrace/ledger/ledger.h"
#include "foodtrace/v1/records.pb.h"

namespace foodtrace::epcis {

namespace v1 = ::foodtrace::v1;

// Largest capture document accepted, and events in it (= the ledger's kBatchItemsMax).
inline constexpr std::size_t kDocumentBytesMax = 4 << 20;
inline constexpr std::size_t kDocumentEventsMax = 1000;

// ---- identifiers ------------------------------------------------------------------------------

// A lot named by an EPC: a GTIN-14 (or a foodtrace product code) and a lot code.
struct LotId {
  std::string gtin;
  std::string product_code;
  std::string lot;
};
// Parses an EPC class or instance that names a lot: urn:epc:class:lgtin:CP.IIR.LOT, a GS1
// Digital Link https://<any host>/01/<GTIN>/10/<LOT>[/21/<serial>], or
// urn:foodtrace:class:<product code>.<lot>. Errors: EPC_FORMAT (not one of those forms, or no
// lot), GTIN_FORMAT, GTIN_CHECK_DIGIT.
Result<LotId> ParseLotEpc(std::string_view uri);
// The EPC class URI foodtrace writes for a lot (LGTIN URN; urn:foodtrace:class for codes).
std::string LotClassUri(const v1::LotRef& lot);

// Parses a location or party identifier to its GLN: urn:epc:id:sgln:CP.LOC.EXT,
// urn:epc:id:pgln:CP.PARTY, or a Digital Link https://<host>/414/<GLN>[/254/<ext>] or /417/.
// Returns "" for urn:foodtrace:party:… (see ParsePartyUri). Errors: LOCATION_FORMAT,
// GLN_FORMAT, GLN_CHECK_DIGIT.
Result<std::string> ParseLocationGln(std::string_view uri);

// ---- capture ------------------------------------------------------------------------------------

struct CaptureOptions {
  // The market's zone: an event's occurred_on is the date of its eventTime there.
  TimeZone time_zone;
};

// One event of a capture document.
struct CapturedEvent {
  std::size_t index = 0;  // position in epcisBody.eventList
  std::string event_id;   // the eventID as sent, or the computed event hash
  std::string type;       // ObjectEvent, TransformationEvent, AggregationEvent, …
  Status status;          // ok, or why the event cannot be recorded (reason + message)
  std::string where;      // the member at fault, e.g. "quantityList[0].epcClass"
  std::optional<v1::LedgerEntry> entry;  // set when status is ok
};

struct CaptureDocument {
  std::vector<CapturedEvent> events;
};

// Reads an EPCISDocument (JSON or JSON-LD; "@context" may be absent). Errors for the whole
// document: EPCIS_TOO_LARGE (over kDocumentBytesMax), EPCIS_JSON (not JSON: the message says
// where), EPCIS_DOCUMENT (not an object of type EPCISDocument with epcisBody.eventList),
// EPCIS_TOO_MANY_EVENTS (over kDocumentEventsMax). Everything else is per event.
Result<CaptureDocument> ReadCaptureDocument(std::string_view text, const CaptureOptions& options);

// ---- export and query ------------------------------------------------------------------------------

struct ExportOptions {
  TimeZone time_zone;  // eventTimeZoneOffset of records made here: the market's at the event
  // The GLNs of a registered party (first = main location); empty = none registered, and the
  // party is written as urn:foodtrace:party:<id>.
  std::function<std::vector<std::string>(const std::string& party_id)> glns_of;
};

// The EPCIS 2.0 event JSON of one ledger line; nullopt for records with no EPCIS form
// (corrections, which EPCIS expresses as new events, and anything not an entry).
std::optional<std::string> EventJson(const ledger::LedgerLine& line, const ExportOptions& options);

// The eventID EventJson gives the line.
std::string EventId(const ledger::LedgerLine& line);

// The ledger entry an eventID names: a captured event's id, or a foodtrace entry URI.
// Errors: NOT_FOUND, IO, CORRUPTION.
Result<ledger::LedgerLine> FindEvent(const ledger::Ledger& ledger, std::string_view event_id);

// An EPCISDocument (query_document false) or an EPCISQueryDocument for SimpleEventQuery
// wrapping `events` (each an EventJson text), created at `created_at`.
std::string DocumentJson(const std::vector<std::string>& events, UnixMillis created_at,
                         bool query_document);

// The query subset of EPCIS 2.0 §8.2.7.1 the portal answers (every list is an OR of values;
// empty = no condition).
struct EventFilter {
  std::vector<std::string> event_types;  // eventType
  std::vector<std::string> biz_steps;    // EQ_bizStep: bare CBV names or their URIs
  std::vector<std::string> dispositions; // EQ_disposition
  std::vector<LotId> epc_classes;        // MATCH_epcClass / MATCH_anyEPCClass (exact lots)
  std::vector<std::string> biz_locations;  // EQ_bizLocation GLNs (13 digits)
  std::optional<UnixMillis> ge_event_time, lt_event_time;
  std::optional<UnixMillis> ge_record_time, lt_record_time;
};
// True when the line's event (as EventJson writes it) meets every condition of `filter`.
bool Matches(const ledger::LedgerLine& line, const EventFilter& filter, const ExportOptions& options);

// The instant an entry's event happened: occurred_at_ms if the source said, else the start of
// occurred_on in the market's zone.
UnixMillis EventTime(const v1::LedgerEntry& entry, const TimeZone& zone);

// A bare CBV bizStep or disposition name from any of its forms ("receiving",
// "urn:epcglobal:cbv:bizstep:receiving", "https://ref.gs1.org/cbv/BizStep-receiving").
std::string BareCbvName(std::string_view value);

}  // namespace foodtrace::epcis
