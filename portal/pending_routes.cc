// Areas of the API still being built; each moves to its own file as it lands (docs/api.md).
#include "portal/server.h"
namespace foodtrace::portal {
void AddRegulatorRoutes(Router&) {}
void AddRecallRoutes(Router&) {}
void AddAlertRoutes(Router&) {}
void AddInspectionRoutes(Router&) {}
void AddStatsRoutes(Router&) {}
void AddExportRoutes(Router&) {}
void AddVendorRoutes(Router&) {}
void AddAlertSamples(const Context&, std::vector<Metrics::Sample>*) {}
}
