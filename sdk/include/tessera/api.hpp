#pragma once
// The SDK API version and the one entry point every plugin exports.

#include <boost/dll/alias.hpp>

#include <memory>

namespace tessera {

/// Bumped on every breaking change of the SDK; the host refuses plugins built for another one.
inline constexpr int kApiVersion = 4;

class Module;

}  // namespace tessera

/// Exports a plugin's module class: the factory `tessera_create_module` (returns a new
/// Module, owned by the host) and `tessera_sdk_api`, the API version it was built with.
/// Use it once, in one source file of the plugin, at namespace scope.
#define TESSERA_MODULE(ModuleClass)                                                     \
    namespace tessera_plugin_entry {                                                    \
    ::tessera::Module* createModule() { return new ModuleClass(); }                     \
    extern const int sdkApiVersion;                                                     \
    const int sdkApiVersion = ::tessera::kApiVersion;                                   \
    }                                                                                   \
    BOOST_DLL_ALIAS(tessera_plugin_entry::createModule, tessera_create_module)          \
    BOOST_DLL_ALIAS(tessera_plugin_entry::sdkApiVersion, tessera_sdk_api)
