// `foodtrace import`: a vendor's spreadsheet ledger (CSV) streamed to the server in batches.
// Each row is printed ACCEPTED only after the server acknowledged it durably; re-running the
// same file imports nothing twice (event ids are given or derived from the row).
#include <chrono>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/ingest/csv_ledger.h"
#include "ingest/limits.h"

namespace foodtrace::app {
namespace {

struct ImportFlags {
  ClientFlags client;
  std::string file;
  std::size_t batch_rows = 500;
  bool quiet = false;
};

struct Totals {
  std::uint64_t rows = 0, accepted = 0, duplicate = 0, rejected = 0;
};

void PrintRow(const ImportFlags& f, const ingest::CsvRow& row, const v1::ItemResult& r, Totals* t) {
  ++t->rows;
  const auto status = r.status();
  if (status == v1::ItemResult::ACCEPTED) ++t->accepted;
  if (status == v1::ItemResult::DUPLICATE) ++t->duplicate;
  if (status == v1::ItemResult::REJECTED) ++t->rejected;
  if (f.client.json) {
    nlohmann::json j = {{"row", row.row}, {"event_id", row.event_id},
                        {"status", v1::ItemResult::Status_Name(status)}};
    if (status != v1::ItemResult::REJECTED) j["sequence"] = r.sequence();
    if (!r.code().empty()) j["code"] = r.code();
    if (!r.message().empty()) j["message"] = r.message();
    std::printf("%s\n", j.dump().c_str());
  } else if (status == v1::ItemResult::REJECTED) {
    std::printf("row %llu (line %llu, event %s): %s: %s\n",
                static_cast<unsigned long long>(row.row), static_cast<unsigned long long>(row.line),
                row.event_id.empty() ? "-" : row.event_id.c_str(), r.code().c_str(), r.message().c_str());
  }
}

// Submits the valid rows of `rows` and prints every row's result in row order.
Status Flush(const ImportFlags& f, ingest::Client& client, std::vector<ingest::CsvRow>& rows,
             Totals* t) {
  std::vector<v1::Item> items;
  for (const auto& row : rows) {
    if (row.entry.ok()) *items.emplace_back().mutable_entry() = *row.entry;
  }
  std::vector<v1::ItemResult> results;
  if (!items.empty()) {
    auto r = client.Submit(std::move(items));
    if (!r.ok()) return r.status();
    results = std::move(*r);
  }
  std::size_t next = 0;
  for (const auto& row : rows) {
    if (row.entry.ok()) {
      PrintRow(f, row, results[next++], t);
    } else {
      v1::ItemResult r;
      r.set_status(v1::ItemResult::REJECTED);
      r.set_code(row.entry.status().reason());
      r.set_message(row.entry.status().message());
      PrintRow(f, row, r, t);
    }
  }
  rows.clear();
  return Status::Ok();
}

void Progress(const ImportFlags& f, const Totals& t, std::streamoff done, std::streamoff size,
              double seconds) {
  if (f.quiet) return;
  std::fprintf(stderr, "\rimport: %llu rows (%3.0f%%), %llu accepted, %llu duplicate, %llu rejected, %.0f rows/s   ",
               static_cast<unsigned long long>(t.rows), size > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(size) : 100.0,
               static_cast<unsigned long long>(t.accepted), static_cast<unsigned long long>(t.duplicate),
               static_cast<unsigned long long>(t.rejected), seconds > 0 ? static_cast<double>(t.rows) / seconds : 0.0);
}

int Import(const ImportFlags& f) {
  std::ifstream in(f.file, std::ios::binary);
  if (!in) return Fail(Status::NotFound("cannot open " + f.file));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0);
  auto reader = ingest::CsvLedgerReader::Open(in);
  if (!reader.ok()) return Fail(Status::Invalid(reader.status().reason(), f.file + ": " + reader.status().message()));
  for (const auto& col : reader->ignored_columns()) {
    std::fprintf(stderr, "import: column '%s' is not a ledger field and is ignored\n", col.c_str());
  }
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  const auto start = std::chrono::steady_clock::now();
  Totals totals;
  std::vector<ingest::CsvRow> rows;
  while (true) {
    auto row = reader->Next();
    if (!row.ok()) return Fail(row.status());
    if (*row) rows.push_back(std::move(**row));
    if (!*row || rows.size() >= f.batch_rows) {
      if (Status st = Flush(f, **client, rows, &totals); !st.ok()) {
        if (!f.quiet) std::fprintf(stderr, "\n");
        return Fail(Status(st.code(), st.reason(), st.message() + " (rows after " + std::to_string(totals.rows) +
                                                         " were not imported; re-run the same file: nothing is imported twice)"));
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      Progress(f, totals, in.good() ? static_cast<std::streamoff>(in.tellg()) : size, size, seconds);
    }
    if (!*row) break;
  }
  if (!f.quiet) std::fprintf(stderr, "\n");
  std::fprintf(stderr, "import: %s: %llu rows: %llu accepted, %llu duplicate (already imported), %llu rejected\n",
               f.file.c_str(), static_cast<unsigned long long>(totals.rows),
               static_cast<unsigned long long>(totals.accepted), static_cast<unsigned long long>(totals.duplicate),
               static_cast<unsigned long long>(totals.rejected));
  return totals.rejected == 0 ? 0 : 1;
}

}  // namespace

void AddImportCommand(CLI::App* app, int* exit_code) {
  auto f = std::make_shared<ImportFlags>();
  CLI::App* cmd = app->add_subcommand(
      "import", "import a spreadsheet ledger (CSV, UTF-8, English or Chinese headers; see docs/import.md)");
  AddClientFlags(cmd, &f->client);
  cmd->add_option("file", f->file, "the CSV ledger")->required()->check(CLI::ExistingFile);
  cmd->add_option("--batch", f->batch_rows, "rows per request")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, ingest::kIngestBatchItemsMax));
  cmd->add_flag("--quiet", f->quiet, "no progress line");
  cmd->callback([f, exit_code] { *exit_code = Import(*f); });
}

}  // namespace foodtrace::app
