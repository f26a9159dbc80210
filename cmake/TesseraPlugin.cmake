# tessera_add_plugin(<id> SOURCES <files...> [DEPENDS <plugin ids...>])
#
# Builds plugins/<id> as a loadable module named lib<id>.so, stages it with its manifest.xml,
# migrations/*.sql, dictionaries/*.csv, messages/*.tsv and documents/* (print templates) in
# ${TESSERA_PLUGIN_OUTPUT_DIR}/<id>/ (the layout the host discovers), and
# installs the same layout. Works in the Tessera tree and out of tree after
# find_package(Tessera CONFIG). A plugin sees only the SDK: its sources may not include
# host headers, sqlite3.h or Beast, and configuring fails if one does.
include_guard(GLOBAL)
include(GNUInstallDirs)

if(NOT DEFINED TESSERA_PLUGIN_OUTPUT_DIR)
  set(TESSERA_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/plugins")
endif()
if(NOT DEFINED TESSERA_PLUGIN_INSTALL_DIR)
  set(TESSERA_PLUGIN_INSTALL_DIR "lib/tessera/plugins")
endif()

function(tessera_add_plugin id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MANIFEST" "SOURCES;DEPENDS")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "tessera_add_plugin(${id}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST "${CMAKE_CURRENT_SOURCE_DIR}/manifest.xml")
  endif()
  if(NOT EXISTS "${ARG_MANIFEST}")
    message(FATAL_ERROR "tessera_add_plugin(${id}): no manifest at ${ARG_MANIFEST}")
  endif()
  # In the Tessera tree, a dependency must be built too.
  if(DEFINED TESSERA_SELECTED_PLUGINS)
    foreach(dep IN LISTS ARG_DEPENDS)
      if(NOT dep IN_LIST TESSERA_SELECTED_PLUGINS)
        message(FATAL_ERROR "plugin ${id} depends on ${dep}: add ${dep} to TESSERA_PLUGINS")
      endif()
    endforeach()
  endif()
  # Plugins see only the SDK.
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(path "${src}" ABSOLUTE)
    if(EXISTS "${path}")
      file(STRINGS "${path}" bad REGEX "#[ \t]*include[ \t]*[<\"](sqlite3\\.h|boost/beast|boost/asio|host/|runtime/|store/|http/)")
      if(bad)
        message(FATAL_ERROR "plugin ${id}: ${src} includes a header plugins may not use: ${bad}\n"
                            "Plugins see only <tessera/...> (the SDK).")
      endif()
    endif()
  endforeach()

  string(REPLACE "." "_" target "plugin_${id}")
  set(out "${TESSERA_PLUGIN_OUTPUT_DIR}/${id}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Tessera::sdk)
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME "${id}" PREFIX "lib" SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY "${out}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED TESSERA_WARNINGS)
    target_compile_options(${target} PRIVATE ${TESSERA_WARNINGS})
  endif()
  set_property(GLOBAL APPEND PROPERTY TESSERA_PLUGIN_TARGETS ${target})

  # Stage manifest and migrations beside the library, re-copied when they change.
  file(GLOB migrations CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/migrations/*.sql")
  file(GLOB dictionaries CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/dictionaries/*.csv")
  file(GLOB catalogues CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/messages/*.tsv")
  file(GLOB documents CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/documents/*")
  set(staged "${out}/manifest.xml")
  add_custom_command(OUTPUT "${staged}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out}/migrations"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${ARG_MANIFEST}" "${staged}"
    DEPENDS "${ARG_MANIFEST}" VERBATIM)
  set(staged_files "${staged}")
  foreach(m IN LISTS migrations)
    get_filename_component(name "${m}" NAME)
    add_custom_command(OUTPUT "${out}/migrations/${name}"
      COMMAND ${CMAKE_COMMAND} -E copy_if_different "${m}" "${out}/migrations/${name}"
      DEPENDS "${m}" VERBATIM)
    list(APPEND staged_files "${out}/migrations/${name}")
  endforeach()
  foreach(d IN LISTS dictionaries)
    get_filename_component(name "${d}" NAME)
    add_custom_command(OUTPUT "${out}/dictionaries/${name}"
      COMMAND ${CMAKE_COMMAND} -E copy_if_different "${d}" "${out}/dictionaries/${name}"
      DEPENDS "${d}" VERBATIM)
    list(APPEND staged_files "${out}/dictionaries/${name}")
  endforeach()
  foreach(c IN LISTS catalogues)
    get_filename_component(name "${c}" NAME)
    add_custom_command(OUTPUT "${out}/messages/${name}"
      COMMAND ${CMAKE_COMMAND} -E copy_if_different "${c}" "${out}/messages/${name}"
      DEPENDS "${c}" VERBATIM)
    list(APPEND staged_files "${out}/messages/${name}")
  endforeach()
  foreach(t IN LISTS documents)
    get_filename_component(name "${t}" NAME)
    add_custom_command(OUTPUT "${out}/documents/${name}"
      COMMAND ${CMAKE_COMMAND} -E copy_if_different "${t}" "${out}/documents/${name}"
      DEPENDS "${t}" VERBATIM)
    list(APPEND staged_files "${out}/documents/${name}")
  endforeach()
  add_custom_target(${target}_files DEPENDS ${staged_files})
  add_dependencies(${target} ${target}_files)

  install(TARGETS ${target} LIBRARY DESTINATION "${TESSERA_PLUGIN_INSTALL_DIR}/${id}" COMPONENT "${id}")
  install(FILES "${ARG_MANIFEST}" DESTINATION "${TESSERA_PLUGIN_INSTALL_DIR}/${id}" COMPONENT "${id}")
  if(migrations)
    install(FILES ${migrations} DESTINATION "${TESSERA_PLUGIN_INSTALL_DIR}/${id}/migrations" COMPONENT "${id}")
  endif()
  if(dictionaries)
    install(FILES ${dictionaries} DESTINATION "${TESSERA_PLUGIN_INSTALL_DIR}/${id}/dictionaries" COMPONENT "${id}")
  endif()
  if(catalogues)
    install(FILES ${catalogues} DESTINATION "${TESSERA_PLUGIN_INSTALL_DIR}/${id}/messages" COMPONENT "${id}")
  endif()
  if(documents)
    install(FILES ${documents} DESTINATION "${TESSERA_PLUGIN_INSTALL_DIR}/${id}/documents" COMPONENT "${id}")
  endif()
endfunction()
