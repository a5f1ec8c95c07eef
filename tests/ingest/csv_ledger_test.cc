// Proves the CSV ledger reader maps English and Chinese spreadsheets to ledger entries, keeps
// a bad row to itself with its row number, and derives the same event ids on every import.
#include "foodtrace/ingest/csv_ledger.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/limits.h"
#include "ledger/validate.h"

using namespace foodtrace;
using namespace foodtrace::ingest;

namespace {

struct Import {
  Status open;  // ok when the header was accepted
  std::vector<CsvRow> rows;
  std::vector<std::string> ignored;
};

Import Read(const std::string& text) {
  std::istringstream in(text);
  Import out;
  Result<CsvLedgerReader> reader = CsvLedgerReader::Open(in);
  if (!reader.ok()) {
    out.open = reader.status();
    return out;
  }
  out.ignored = reader->ignored_columns();
  for (;;) {
    Result<std::optional<CsvRow>> row = reader->Next();
    REQUIRE(row.ok());
    if (!row->has_value())
      break;
    out.rows.push_back(std::move(**row));
  }
  return out;
}

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(FOODTRACE_SOURCE_DIR) + "/tests/data/import/" + name,
                   std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const v1::LedgerEntry& Entry(const CsvRow& row) {
  INFO("row " << row.row << ": " << row.entry.status().ToString());
  REQUIRE(row.entry.ok());
  return row.entry.value();
}

bool Has(const Status& s, std::string_view text) {
  return s.message().find(text) != std::string::npos;
}

const std::string kHeader = "kind,date,gtin,lot,quantity,unit\n";

}  // namespace

TEST_CASE("a Chinese vendor ledger with BOM and CRLF reads every row and isolates the bad ones",
          "[csv]") {
  Import file = Read(Fixture("vendor_ledger_zh.csv"));
  REQUIRE(file.open.ok());
  CHECK(file.ignored.empty());
  REQUIRE(file.rows.size() == 21);  // the trailing ",,,," row is blank and skipped

  const v1::LedgerEntry& noodles = Entry(file.rows[0]);
  CHECK(file.rows[0].row == 1);
  CHECK(file.rows[0].line == 2);
  CHECK(noodles.kind() == v1::LedgerEntry::RECEIVE);
  CHECK(noodles.occurred_on() == "2025-06-02");
  CHECK(noodles.lot().product_name() == "红烧牛肉面");
  CHECK(noodles.lot().gtin() == "6901234567892");
  CHECK(noodles.lot().shelf_life_days() == 180);
  CHECK(noodles.quantity() == 48);
  CHECK(noodles.unit() == "H87");
  CHECK(noodles.counterparty().licence() == "JY13301020012345");
  REQUIRE(noodles.documents_size() == 2);
  CHECK(noodles.documents(1) == "送货单 SH20250602-01");

  CHECK(Entry(file.rows[1]).lot().produced_on() == "2025-05-28");  // written 2025/5/28
  const v1::LedgerEntry& eggs = Entry(file.rows[3]);
  CHECK(eggs.lot().farm_produce());
  CHECK(eggs.quantity() == 15500);  // 15.5 公斤
  CHECK(eggs.unit() == "GRM");
  CHECK(Entry(file.rows[4]).counterparty().address() == "杭州市上城区九堡镇,杭海路100号");
  CHECK(Entry(file.rows[7]).lot().no_shelf_life());                // 保质期至 无
  CHECK(Entry(file.rows[8]).lot().produced_on() == "2025-06-01");  // 2025年6月1日
  CHECK(Entry(file.rows[11]).note() == "促销装\"买一送一\"");
  CHECK(Entry(file.rows[12]).kind() == v1::LedgerEntry::DISPOSE);
  CHECK(Entry(file.rows[12]).dispose_method() == "退货");
  CHECK(Entry(file.rows[18]).kind() == v1::LedgerEntry::STOCKTAKE);

  // Row 16: 数量 一箱 is not a number; reading went on past it.
  const CsvRow& bad = file.rows[15];
  CHECK(bad.row == 16);
  REQUIRE_FALSE(bad.entry.ok());
  CHECK(bad.entry.status().reason() == "CSV_NUMBER");
  CHECK(Has(bad.entry.status(), "row 16 (line 17), column 数量"));
  CHECK(Has(bad.entry.status(), "一箱"));

  // Every other row is a valid record for the ledger except row 14's mistyped barcode.
  ledger::ValidateContext ctx;
  ctx.today = Date::FromYmd(2025, 6, 30);
  for (const CsvRow& row : file.rows) {
    if (row.row == 16)
      continue;
    v1::LedgerEntry entry = Entry(row);
    Status s = ledger::ValidateEntry(&entry, ctx);
    INFO("row " << row.row << ": " << s.ToString());
    if (row.row == 14) {
      CHECK(s.reason() == "GTIN_CHECK_DIGIT");
    } else {
      CHECK(s.ok());
    }
  }
}

TEST_CASE("an English ledger maps every column, quoted fields and given event ids", "[csv]") {
  Import file = Read(Fixture("vendor_ledger_en.csv"));
  REQUIRE(file.open.ok());
  REQUIRE(file.rows.size() == 6);
  const v1::LedgerEntry& first = Entry(file.rows[0]);
  CHECK(file.rows[0].event_id == "W-0601-001");
  CHECK_FALSE(file.rows[0].event_id_derived);
  CHECK(first.event_id() == "W-0601-001");
  CHECK(first.counterparty().party_id() == "s-lianhua");
  CHECK(first.lot().specification() == "5 x 100 g");
  CHECK(first.documents_size() == 2);
  CHECK(file.rows[2].event_id_derived);
  CHECK(Entry(file.rows[2]).counterparty().address() == "12 Wangjiang Rd, Hangzhou");
  const v1::LedgerEntry& sale = Entry(file.rows[3]);
  CHECK(sale.counterparty().name() == "Market stall \"Liu\"");
  CHECK(sale.counterparty().address() == "Chengdong Rd 8 Hangzhou");  // line break → space
  CHECK(sale.quantity() == 20500);
  CHECK(sale.unit() == "GRM");
  CHECK(file.rows[4].line == 7);  // row 4 spans lines 5 and 6
  CHECK(Entry(file.rows[4]).dispose_method() == "expired; destroyed (销毁)");
  CHECK(Entry(file.rows[5]).quantity() == 0);

  ledger::ValidateContext ctx;
  ctx.today = Date::FromYmd(2025, 6, 5);
  ctx.recorder_wholesale = true;
  for (const CsvRow& row : file.rows) {
    v1::LedgerEntry entry = Entry(row);
    Status s = ledger::ValidateEntry(&entry, ctx);
    INFO("row " << row.row << ": " << s.ToString());
    CHECK(s.ok());
  }
}

TEST_CASE("Chinese header aliases and kind words are accepted", "[csv]") {
  Import file = Read(
      "*流水号,业务类型,日期,条码,食品名称,规格,批次,数量,单位,到期日,保质期（天）,购货者名称,"
      "电话,凭证\n"
      "A1,进货,2025-06-01,6901234567892,方便面,100g,L1,5,个,2025-12-01,,,,\n"
      "A2,销货,2025-06-01,6901234567892,方便面,100g,L1,1,件,,,刘记,137,送货单\n"
      "A3,盘点,2025-06-01,6901234567892,方便面,100g,L1,4,个,,180天,,,\n"
      "A4,处置,2025-06-01,6901234567892,方便面,100g,L1,1,个,,,,,\n");
  REQUIRE(file.open.ok());
  REQUIRE(file.rows.size() == 4);
  CHECK(Entry(file.rows[0]).kind() == v1::LedgerEntry::RECEIVE);
  CHECK(Entry(file.rows[0]).lot().expires_on() == "2025-12-01");
  CHECK(Entry(file.rows[1]).kind() == v1::LedgerEntry::SHIP);
  CHECK(Entry(file.rows[1]).counterparty().name() == "刘记");
  CHECK(Entry(file.rows[1]).documents(0) == "送货单");
  CHECK(Entry(file.rows[2]).kind() == v1::LedgerEntry::STOCKTAKE);
  CHECK(Entry(file.rows[2]).lot().shelf_life_days() == 180);
  CHECK(Entry(file.rows[3]).kind() == v1::LedgerEntry::DISPOSE);
}

TEST_CASE("a purchase or sales ledger without a kind column takes it from the date header",
          "[csv]") {
  Import buy = Read("进货日期,商品条码,数量,单位\n2025-06-01,6901234567892,3,袋\n");
  REQUIRE(buy.open.ok());
  CHECK(Entry(buy.rows.at(0)).kind() == v1::LedgerEntry::RECEIVE);
  Import sell = Read("销售日期,商品条码,数量,单位\n2025-06-01,6901234567892,3,袋\n");
  REQUIRE(sell.open.ok());
  CHECK(Entry(sell.rows.at(0)).kind() == v1::LedgerEntry::SHIP);
  Import neither = Read("日期,商品条码,数量,单位\n2025-06-01,6901234567892,3,袋\n");
  CHECK(neither.open.reason() == "CSV_HEADER_MISSING");
  CHECK(Has(neither.open, "kind"));
}

TEST_CASE("a missing required column is an error at open naming it", "[csv]") {
  Import file = Read("kind,date,gtin,lot,quantity\nreceive,2025-06-01,6901234567892,L1,3\n");
  CHECK(file.open.reason() == "CSV_HEADER_MISSING");
  CHECK(Has(file.open, "unit (单位)"));
  file = Read("kind,date,lot,quantity,unit\n");
  CHECK(file.open.reason() == "CSV_HEADER_MISSING");
  CHECK(Has(file.open, "product_code"));
  file = Read("kind,date,gtin,条码,quantity,unit\n");
  CHECK(file.open.reason() == "CSV_HEADER_DUPLICATE");
  CHECK(Has(file.open, "条码"));
  file = Read("");
  CHECK(file.open.reason() == "CSV_EMPTY");
}

TEST_CASE("unknown header columns are ignored and reported", "[csv]") {
  Import file = Read(
      "kind,date,gtin,lot,quantity,unit,金额,\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,12.50,\n");
  REQUIRE(file.open.ok());
  REQUIRE(file.ignored.size() == 1);
  CHECK(file.ignored[0] == "金额");
  CHECK(Entry(file.rows.at(0)).quantity() == 3);
}

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks", "[csv]") {
  Import file = Read(
      "kind,date,gtin,lot,quantity,unit,note\r\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,\"a, \"\"b\"\"\r\nc\"\r\n"
      "ship,2025-06-02,6901234567892,\"L1\" ,1,H87,\r\n");
  REQUIRE(file.open.ok());
  REQUIRE(file.rows.size() == 2);
  CHECK(Entry(file.rows[0]).note() == "a, \"b\" c");
  CHECK(file.rows[1].line == 4);
  CHECK(Entry(file.rows[1]).lot().lot() == "L1");
}

TEST_CASE("a byte-order mark is skipped, even before a quoted header", "[csv]") {
  Import file = Read(
      "\xEF\xBB\xBF\"kind\",date,gtin,lot,quantity,unit\n"
      "receive,2025-06-01,6901234567892,L1,3,H87\n");
  REQUIRE(file.open.ok());
  CHECK(Entry(file.rows.at(0)).kind() == v1::LedgerEntry::RECEIVE);
}

TEST_CASE("CRLF, LF and CR line ends read the same rows", "[csv]") {
  const std::string lf = kHeader +
                         "receive,2025-06-01,6901234567892,L1,3,H87\n"
                         "ship,2025-06-02,6901234567892,L1,1,H87\n";
  std::string crlf, cr;
  for (char c : lf) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    cr += c == '\n' ? '\r' : c;
  }
  for (const std::string& text : {lf, crlf, cr}) {
    Import file = Read(text);
    REQUIRE(file.open.ok());
    REQUIRE(file.rows.size() == 2);
    CHECK(file.rows[1].line == 3);
    CHECK(Entry(file.rows[1]).kind() == v1::LedgerEntry::SHIP);
    CHECK(file.rows[0].event_id == Read(lf).rows[0].event_id);
  }
}

TEST_CASE("a malformed row is reported with its row number and reading continues", "[csv]") {
  Import file = Read(kHeader +
                     "receive,2025-06-01,6901234567892,\"L1\"x,3,H87\n"
                     "\n"
                     "receive,2025-06-01,6901234567892,L2,3,H87,,\n"
                     "receive,2025-06-01,6901234567892,L3,3,H87,extra\n"
                     "return,2025-06-01,6901234567892,L4,3,H87\n"
                     "receive,2025-06-01,6901234567892,L5,3,H87\n");
  REQUIRE(file.open.ok());
  REQUIRE(file.rows.size() == 5);
  CHECK(file.rows[0].entry.status().reason() == "CSV_QUOTE");
  CHECK(Has(file.rows[0].entry.status(), "row 1 (line 2)"));
  CHECK(file.rows[1].row == 3);  // the blank row 2 counts but is skipped
  CHECK(Entry(file.rows[1]).lot().lot() == "L2");
  CHECK(file.rows[2].entry.status().reason() == "CSV_COLUMN_COUNT");
  CHECK(Has(file.rows[2].entry.status(), "row 4 (line 5)"));
  CHECK(file.rows[3].entry.status().reason() == "CSV_KIND");
  CHECK(Has(file.rows[3].entry.status(), "column kind"));
  CHECK(Has(file.rows[3].entry.status(), "'return'"));
  CHECK(Entry(file.rows[4]).lot().lot() == "L5");
}

TEST_CASE("an oversized row or a quote left open is an error for that row only", "[csv]") {
  const std::string long_note(kCsvRowBytesMax, 'x');
  Import file = Read(
      "kind,date,gtin,lot,quantity,unit,note\n"
      "receive,2025-06-01,6901234567892,L1,3,H87," +
      long_note + "\n" +
      "receive,2025-06-01,6901234567892,L2,3,H87,ok\n"
      "receive,2025-06-01,6901234567892,L3,3,H87,\"never closed\n");
  REQUIRE(file.open.ok());
  REQUIRE(file.rows.size() == 3);
  CHECK(file.rows[0].entry.status().reason() == "CSV_ROW_TOO_LONG");
  CHECK(file.rows[0].entry.status().code() == Code::kResourceExhausted);
  CHECK(Entry(file.rows[1]).lot().lot() == "L2");
  CHECK(file.rows[2].entry.status().reason() == "CSV_QUOTE");
  CHECK(Has(file.rows[2].entry.status(), "never closed"));
}

TEST_CASE("a file that is not UTF-8 is refused with advice on how to save it", "[csv]") {
  // "数量" in GBK.
  Import file = Read("kind,date,gtin,\xca\xfd\xc1\xbf,unit\n");
  CHECK(file.open.reason() == "CSV_ENCODING");
  CHECK(Has(file.open, "CSV UTF-8"));
  file = Read(
      "kind,date,gtin,product_name,quantity,unit\n"
      "receive,2025-06-01,6901234567892,\xb7\xbd\xb1\xe3\xc3\xe6,3,H87\n");
  REQUIRE(file.open.ok());
  CHECK(file.rows.at(0).entry.status().reason() == "CSV_ENCODING");
  CHECK(Has(file.rows.at(0).entry.status(), "column product_name"));
}

TEST_CASE("unit words become UN/CEFACT codes and decimal weights become grams", "[csv]") {
  struct Case {
    std::string quantity, unit;
    std::int64_t expected;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"3", "公斤", 3, "KGM"},    {"3", "千克", 3, "KGM"},    {"3", "kg", 3, "KGM"},
      {"250", "克", 250, "GRM"},  {"2", "升", 2, "LTR"},      {"500", "毫升", 500, "MLT"},
      {"4", "袋", 4, "H87"},      {"4", "盒", 4, "H87"},      {"4", "瓶", 4, "H87"},
      {"4", "个", 4, "H87"},      {"4", "件", 4, "H87"},      {"1.5", "千克", 1500, "GRM"},
      {"0.75", "升", 750, "MLT"}, {"2.5", "斤", 1250, "GRM"}, {"4", "ltr", 4, "LTR"},
      {"7", "BOX", 7, "BOX"},  // unknown: passed on for the ledger to reject (UNIT_UNKNOWN)
  };
  for (const Case& c : cases) {
    Import file =
        Read(kHeader + "receive,2025-06-01,6901234567892,L1," + c.quantity + "," + c.unit + "\n");
    INFO(c.quantity << " " << c.unit);
    REQUIRE(file.rows.size() == 1);
    CHECK(Entry(file.rows[0]).quantity() == c.expected);
    CHECK(Entry(file.rows[0]).unit() == c.code);
  }
  for (std::string bad : {"2.5,个", "1.0005,千克", "12kg,KGM", ",H87"}) {
    Import file = Read(kHeader + "receive,2025-06-01,6901234567892,L1," + bad + "\n");
    INFO(bad);
    CHECK(file.rows.at(0).entry.status().reason() == "CSV_NUMBER");
    CHECK(Has(file.rows.at(0).entry.status(), "column quantity"));
  }
}

TEST_CASE("spreadsheet date forms are written as ISO dates", "[csv]") {
  const std::vector<std::pair<std::string, std::string>> dates = {
      {"2025/6/1", "2025-06-01"}, {"2025.06.01", "2025-06-01"}, {"2025年6月1日", "2025-06-01"},
      {"20250601", "2025-06-01"}, {"2025-06-01", "2025-06-01"}, {"2025/2/30", "2025/2/30"},
      {"June 1", "June 1"},
  };
  for (const auto& [written, iso] : dates) {
    Import file = Read(kHeader + "receive," + written + ",6901234567892,L1,3,H87\n");
    INFO(written);
    CHECK(Entry(file.rows.at(0)).occurred_on() == iso);
  }
}

TEST_CASE("re-reading a file derives the same event ids; identical rows get distinct ids",
          "[csv]") {
  const std::string text = kHeader +
                           "receive,2025-06-01,6901234567892,L1,3,H87\n"
                           "receive,2025-06-01,6901234567892,L1,3,H87\n"
                           "ship,2025-06-01,6901234567892,L1,3,H87\n";
  Import a = Read(text);
  Import b = Read(text);
  REQUIRE(a.rows.size() == 3);
  std::set<std::string> ids;
  for (size_t i = 0; i < a.rows.size(); ++i) {
    CHECK(a.rows[i].event_id_derived);
    CHECK(a.rows[i].event_id == b.rows[i].event_id);
    CHECK(Entry(a.rows[i]).event_id() == a.rows[i].event_id);
    CHECK(a.rows[i].event_id.size() == 4 + 16);
    CHECK(a.rows[i].event_id.rfind("csv-", 0) == 0);
    ids.insert(a.rows[i].event_id);
  }
  CHECK(ids.size() == 3);
  // Column order, extra columns and padding do not change the ids.
  Import reordered = Read(
      "unit,quantity,lot,gtin,date,kind,remarks\n"
      "H87,3,L1, 6901234567892 ,2025-06-01,receive,x\n");
  CHECK(reordered.rows.at(0).event_id == a.rows[0].event_id);
  // Inserting a row above does not renumber the rows below.
  Import inserted =
      Read(kHeader + "dispose,2025-05-31,6901234567892,L0,1,H87\n" + text.substr(kHeader.size()));
  CHECK(inserted.rows.at(1).event_id == a.rows[0].event_id);
  CHECK(inserted.rows.at(3).event_id == a.rows[2].event_id);
}

TEST_CASE("no stated shelf life, shelf life in days and farm produce flags are read", "[csv]") {
  Import file = Read(
      "kind,date,gtin,lot,quantity,unit,expires_on,shelf_life_days,farm_produce\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,无明确保质期,,\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,,180 天,否\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,,,yes\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,,half a year,\n"
      "receive,2025-06-01,6901234567892,L1,3,H87,,,maybe\n");
  REQUIRE(file.rows.size() == 5);
  CHECK(Entry(file.rows[0]).lot().no_shelf_life());
  CHECK(Entry(file.rows[0]).lot().expires_on().empty());
  CHECK(Entry(file.rows[1]).lot().shelf_life_days() == 180);
  CHECK_FALSE(Entry(file.rows[1]).lot().farm_produce());
  CHECK(Entry(file.rows[2]).lot().farm_produce());
  CHECK(file.rows[3].entry.status().reason() == "CSV_NUMBER");
  CHECK(Has(file.rows[3].entry.status(), "column shelf_life_days"));
  CHECK(file.rows[4].entry.status().reason() == "CSV_BOOLEAN");
}

TEST_CASE("ParseCsvRecord splits one record and refuses a second", "[csv]") {
  std::vector<std::string> fields;
  REQUIRE(ParseCsvRecord("a,\"b,c\",\"d\"\"e\",,\r\n", &fields).ok());
  CHECK(fields == std::vector<std::string>{"a", "b,c", "d\"e", "", ""});
  REQUIRE(ParseCsvRecord("", &fields).ok());
  CHECK(fields == std::vector<std::string>{""});
  CHECK(ParseCsvRecord("a\nb", &fields).reason() == "CSV_RECORD_END");
  CHECK(ParseCsvRecord("\"a\"b", &fields).reason() == "CSV_QUOTE");
  CHECK(ParseCsvRecord(std::string(kCsvColumnsMax, ','), &fields).reason() ==
        "CSV_TOO_MANY_COLUMNS");
  CHECK(ParseCsvRecord(std::string(kCsvRowBytesMax + 1, 'x'), &fields).reason() ==
        "CSV_ROW_TOO_LONG");
}
