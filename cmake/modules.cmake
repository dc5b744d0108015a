# One static library per folder of src/, and an include "view" per library
# that makes the direction of the data flow a build fact.
#
# Every header is included as "folder/file.h". A library's view is a
# directory of symbolic links holding its own folder and what its
# dependencies publish (transitively: their public headers include their own
# dependencies' headers), and nothing else. An #include against the flow
# (scan including report, a source including another source's internals)
# names a file that is not in the view, so it fails to compile.
#
#   sentryscan_module(FOLDER scan DEPS core rules settings match decode LINK PkgConfig::HS)
#   sentryscan_module(FOLDER source/git DEPS core scan PUBLIC_HEADERS audit.h handle.h)
#   sentryscan_module(FOLDER source/git/range INTERNAL_DEPS source/git PUBLIC_HEADERS range.h)
#
# PUBLIC_HEADERS limits what dependants see of a folder (default: all of it).
# INTERNAL_DEPS shows a dependency whole, internals included, without
# publishing those internals any further: for a folder nested in another.
# Tests, benchmarks and fuzzers use sentryscan_all_view(), which shows every
# folder whole: they test internals on purpose.

set(SENTRYSCAN_VIEWS ${CMAKE_BINARY_DIR}/include_views)
file(REMOVE_RECURSE ${SENTRYSCAN_VIEWS})
set_property(GLOBAL PROPERTY SENTRYSCAN_MODULES "")

# Links `entry` ("folder/" for a whole folder, "folder/file.h" for one header) into `view`.
function(_sentryscan_link view entry)
  if(entry MATCHES "/$")
    string(REGEX REPLACE "/$" "" folder "${entry}")
    get_filename_component(parent "${view}/${folder}" DIRECTORY)
    file(MAKE_DIRECTORY "${parent}")
    if(NOT EXISTS "${view}/${folder}")
      file(CREATE_LINK "${CMAKE_SOURCE_DIR}/src/${folder}" "${view}/${folder}" SYMBOLIC)
    endif()
  else()
    get_filename_component(folder "${entry}" DIRECTORY)
    # Skipped when the folder or any folder above it is already linked whole
    # (a header of source/git/pack with source/git shown whole): the link
    # would be written through that link, into src/, over the header itself.
    set(above "${folder}")
    while(above)
      if(IS_SYMLINK "${view}/${above}")
        return()
      endif()
      get_filename_component(above "${above}" DIRECTORY)
    endwhile()
    file(MAKE_DIRECTORY "${view}/${folder}")
    file(CREATE_LINK "${CMAKE_SOURCE_DIR}/src/${entry}" "${view}/${entry}" SYMBOLIC)
  endif()
endfunction()

function(_sentryscan_make_view view entries)
  # Whole folders first, parents before the folders nested in them, so that
  # single headers of a folder already linked are skipped.
  list(SORT entries)
  foreach(entry IN LISTS entries)
    if(entry MATCHES "/$")
      _sentryscan_link("${view}" "${entry}")
    endif()
  endforeach()
  foreach(entry IN LISTS entries)
    if(NOT entry MATCHES "/$")
      _sentryscan_link("${view}" "${entry}")
    endif()
  endforeach()
endfunction()

function(sentryscan_module)
  cmake_parse_arguments(M "" "FOLDER" "DEPS;INTERNAL_DEPS;LINK;PRIVATE_LINK;PRIVATE_INCLUDES;PUBLIC_HEADERS;SOURCES" ${ARGN})
  string(REPLACE "/" "_" name "${M_FOLDER}")
  set(target sentryscan_${name})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${M_FOLDER}/*.cpp)
  add_library(${target} STATIC ${sources} ${M_SOURCES})

  set(visible "${M_FOLDER}/")
  set(published "")
  if(M_PUBLIC_HEADERS)
    foreach(header IN LISTS M_PUBLIC_HEADERS)
      list(APPEND published "${M_FOLDER}/${header}")
    endforeach()
  else()
    list(APPEND published "${M_FOLDER}/")
  endif()
  foreach(dep IN LISTS M_DEPS)
    string(REPLACE "/" "_" dep_name "${dep}")
    get_property(known GLOBAL PROPERTY SENTRYSCAN_PUBLISHED_${dep_name} SET)
    if(NOT known)
      message(FATAL_ERROR "${M_FOLDER} depends on ${dep}, which is not declared before it: "
                          "folders are declared in the order of the data flow")
    endif()
    get_property(dep_published GLOBAL PROPERTY SENTRYSCAN_PUBLISHED_${dep_name})
    list(APPEND visible ${dep_published})
    list(APPEND published ${dep_published})
    target_link_libraries(${target} PUBLIC sentryscan_${dep_name})
  endforeach()
  foreach(dep IN LISTS M_INTERNAL_DEPS)
    string(REPLACE "/" "_" dep_name "${dep}")
    get_property(dep_published GLOBAL PROPERTY SENTRYSCAN_PUBLISHED_${dep_name})
    list(APPEND visible "${dep}/" ${dep_published})
    list(APPEND published ${dep_published})
    target_link_libraries(${target} PUBLIC sentryscan_${dep_name})
  endforeach()
  list(REMOVE_DUPLICATES published)
  set_property(GLOBAL PROPERTY SENTRYSCAN_PUBLISHED_${name} "${published}")
  set_property(GLOBAL APPEND PROPERTY SENTRYSCAN_MODULES "${M_FOLDER}")

  _sentryscan_make_view("${SENTRYSCAN_VIEWS}/${name}" "${visible}")
  target_include_directories(${target} PRIVATE "${SENTRYSCAN_VIEWS}/${name}" ${M_PRIVATE_INCLUDES})
  target_link_libraries(${target} PUBLIC ${M_LINK} PRIVATE ${M_PRIVATE_LINK})
endfunction()

# An include directory showing every folder whole, for tests, benchmarks and fuzzers.
function(sentryscan_all_view out_var)
  get_property(modules GLOBAL PROPERTY SENTRYSCAN_MODULES)
  set(entries "")
  foreach(folder IN LISTS modules)
    list(APPEND entries "${folder}/")
  endforeach()
  _sentryscan_make_view("${SENTRYSCAN_VIEWS}/all" "${entries}")
  set(${out_var} "${SENTRYSCAN_VIEWS}/all" PARENT_SCOPE)
endfunction()
