# -DSENTRYSCAN_PORTABLE=ON: the binary of the release archive
# (scripts/make-release-archive.sh). Compile flags are unchanged (ccache
# reuses the normal build's objects); only the link differs:
# - what Debian 12 ships as static libraries is linked in: Hyperscan and
#   RE2 (as in every build), libdeflate,
#   libgit2 with its mbedTLS, http-parser, libssh2 (and OpenSSL's libcrypto
#   under it), PCRE2 and zlib, libstdc++ and libgcc; libssh2 is linked
#   here, not opened on first use as in the normal build
#   (src/source/git/transports/libssh2.cpp), since the archive has no copy;
# - fmt and toml++ are built from their headers, as in every build;
# - the rest (the Kerberos libraries libgit2 uses) stays shared and is
#   bundled by the script in lib/, found through the $ORIGIN run path it
#   sets, like the dlopen-ed libcurl and libarchive.
set(static_dir /usr/lib/x86_64-linux-gnu)
function(_sentryscan_static target)
  set(libraries "")
  foreach(name IN LISTS ARGN)
    if(name MATCHES "^-" OR IS_ABSOLUTE "${name}")
      list(APPEND libraries ${name})
    elseif(EXISTS ${static_dir}/lib${name}.a)
      list(APPEND libraries ${static_dir}/lib${name}.a)
    else()
      message(FATAL_ERROR "SENTRYSCAN_PORTABLE: ${static_dir}/lib${name}.a is missing")
    endif()
  endforeach()
  set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${libraries}")
endfunction()
# (Hyperscan and RE2 are static in every build: CMakeLists.txt.)
_sentryscan_static(PkgConfig::DEFLATE deflate)
# libgit2's own Libs.private, plus GSSAPI (SPNEGO over HTTP), which it omits;
# Debian has no static Kerberos (and the runtime package has no libgssapi_krb5.so).
_sentryscan_static(PkgConfig::GIT2 git2 mbedtls mbedx509 mbedcrypto http_parser ssh2 crypto pcre2-8 z
                   ${static_dir}/libgssapi_krb5.so.2 -lrt -ldl -pthread)
set_target_properties(sentryscan::mbedcrypto PROPERTIES IMPORTED_LOCATION ${static_dir}/libmbedcrypto.a)
target_link_options(sentryscan PRIVATE -static-libstdc++ -static-libgcc)
