// Areas of the API still being built; each moves to its own file as it lands (docs/api.md).
#include "portal/server.h"
namespace foodtrace::portal {
void AddInspectionRoutes(Router&) {}
void AddStatsRoutes(Router&) {}
void AddExportRoutes(Router&) {}
}
