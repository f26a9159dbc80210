#pragma once
// Convenience header: the whole SDK.
#include <tessera/access.hpp>
#include <tessera/api.hpp>
#include <tessera/context.hpp>
#include <tessera/database.hpp>
#include <tessera/decimal.hpp>
#include <tessera/http.hpp>
#include <tessera/jobs.hpp>
#include <tessera/module.hpp>
#include <tessera/params.hpp>
#include <tessera/records.hpp>
#include <tessera/result.hpp>
#include <tessera/table_files.hpp>
#include <tessera/units.hpp>
#include <tessera/uploads.hpp>
