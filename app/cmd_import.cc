// `foodtrace import`: a vendor's spreadsheet ledger (CSV) streamed in batches.
#include "app/app.h"

namespace foodtrace::app {

void AddImportCommand(CLI::App*, int*) {}  // replaced when the CSV reader lands

}  // namespace foodtrace::app
