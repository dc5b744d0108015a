# What `cmake --install` (and so the Debian package, cmake/package.cmake)
# puts where, under the GNU directories of the install prefix:
#   bin/sentryscan
#   share/man/man1/sentryscan.1                      generated from the help text
#   share/bash-completion/completions/sentryscan     generated from the CLI11 app
#   share/zsh/vendor-completions/_sentryscan         (Debian's zsh looks there)
#   share/fish/vendor_completions.d/sentryscan.fish
#   share/sentryscan/hooks/pre-commit
#   share/doc/sentryscan/                            README.md, docs/*.md
# The man page and the completions are made by running the built binary
# (`sentryscan man-page`, `sentryscan completion SHELL`), so they cannot
# drift from --help.
include(GNUInstallDirs)

set(SENTRYSCAN_ZSH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions"
    CACHE STRING "Where the zsh completion function is installed (relative to the prefix)")

set(generated ${CMAKE_BINARY_DIR}/generated/share)
set(man_page ${generated}/sentryscan.1)
set(bash_completion ${generated}/bash/sentryscan)
set(zsh_completion ${generated}/zsh/_sentryscan)
set(fish_completion ${generated}/fish/sentryscan.fish)
add_custom_command(
  OUTPUT ${man_page} ${bash_completion} ${zsh_completion} ${fish_completion}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${generated}/bash ${generated}/zsh ${generated}/fish
  COMMAND sh -c "\"$1\" man-page > \"$2\"" sh $<TARGET_FILE:sentryscan> ${man_page}
  COMMAND sh -c "\"$1\" completion bash > \"$2\"" sh $<TARGET_FILE:sentryscan> ${bash_completion}
  COMMAND sh -c "\"$1\" completion zsh > \"$2\"" sh $<TARGET_FILE:sentryscan> ${zsh_completion}
  COMMAND sh -c "\"$1\" completion fish > \"$2\"" sh $<TARGET_FILE:sentryscan> ${fish_completion}
  DEPENDS sentryscan
  COMMENT "Generating the man page and the shell completions from the CLI"
  VERBATIM)
add_custom_target(sentryscan_docs ALL DEPENDS ${man_page} ${bash_completion} ${zsh_completion} ${fish_completion})

install(TARGETS sentryscan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${bash_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${zsh_completion} DESTINATION ${SENTRYSCAN_ZSH_COMPLETION_DIR})
install(FILES ${fish_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(PROGRAMS ${CMAKE_SOURCE_DIR}/hooks/pre-commit DESTINATION ${CMAKE_INSTALL_DATADIR}/sentryscan/hooks)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/decoding.md ${CMAKE_SOURCE_DIR}/docs/fuzzing.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
