# `cpack -G DEB` in the build directory makes sentryscan_<version>_amd64.deb
# from the install rules of cmake/install.cmake.
#
# dpkg-shlibdeps derives Depends from what the binary links (libdeflate,
# libc, and the libraries of libgit2, which is linked statically: mbedTLS,
# http-parser, PCRE2, zlib). Hyperscan, RE2 and libstdc++ are linked
# statically and fmt and toml++ built from their headers (CMakeLists.txt).
# libcurl, libarchive, and libgit2's libssh2 and GSSAPI are opened with
# dlopen on first use (core/lazy_library.h), so dpkg-shlibdeps cannot see
# them: they are declared here by hand, at the versions Debian 12 ships. The
# lazy loader asks for libcurl.so.4 (the OpenSSL flavour, package libcurl4),
# libarchive.so.13, libssh2.so.1 and libgssapi_krb5.so.2.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sentryscan)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "sentryscan")
set(CPACK_PACKAGE_CONTACT "sentryscan maintainers <sentryscan@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find leaked Sentry credentials in files and git history")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "sentryscan finds Sentry organization, user, OAuth and integration tokens, legacy keys and DSNs in files, "
       "staged changes and the history of git repositories, and can ask the Sentry API whether each is live.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # RelWithDebInfo: the debug info would be most of the package
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Appended to what dpkg-shlibdeps finds.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libcurl4 (>= 7.88.1), libarchive13 (>= 3.6.2), libssh2-1 (>= 1.10.0), libgssapi-krb5-2 (>= 1.20.1)")
# --validate needs the CA bundle; the pre-commit hook and `staged` are for git users.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates, git")
include(CPack)
