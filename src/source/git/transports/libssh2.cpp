// libgit2's ssh transport (libssh2) and its SPNEGO/Kerberos authentication
// over HTTP (GSSAPI) are opened on first use, not at start-up.
//
// Linked, they brought nine shared libraries into every run (libssh2,
// OpenSSL's libcrypto, five Kerberos libraries, keyutils, resolv):
// `sentryscan --version` took 485 page faults and 35,128 relocations
// with them, 297 and 10,261 without (about 2 ms here, where a fault costs
// ~11 us), out of the 20 ms budget of `sentryscan staged`, which never
// talks to a server.
// This file and gssapi.cpp define the functions libgit2 calls (the
// linker finds them after libgit2.a: CMakeLists.txt), each forwarding to the
// real one (core/lazy_library.h).
//
// A library that cannot be opened fails the way libgit2 already handles:
// no ssh session ("failed to initialize SSH session"), no Negotiate
// (GSS_S_FAILURE). libgit2's start calls libssh2_init: it is remembered and
// made just before the first real call (ssh_state), as libssh2 wants it
// before any session.
//
// The portable release archive links libssh2 statically instead and keeps
// these out (cmake/portable.cmake).
//
// The libssh2 functions libgit2 calls.
#include <libssh2.h>

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "core/lazy_library.h"

namespace {

constexpr const char* kLibssh2 = "libssh2.so.1";

template <class F>
F libssh2(const char* symbol) {
  return sentryscan::lazy_function<F>({kLibssh2}, symbol);
}

// libssh2's global start, as libgit2 asked for it: libgit2 calls
// libssh2_init in git_libgit2_init and libssh2_exit at its shutdown, which a
// process may do more than once. The real calls are made only once the
// library is open: the first with the session that opens it.
struct Libssh2State {
  std::mutex mutex;
  bool tried = false;  // dlopen attempted
  bool open = false;   // ... and the real libssh2_init succeeded
  int flags = 0;       // of the last libssh2_init
};

Libssh2State& ssh_state() {
  static Libssh2State state;
  return state;
}

// The real libssh2_init, which opens the library; null when it cannot be
// loaded (never throws: the callers are C).
decltype(&::libssh2_init) real_libssh2_init() {
  static const auto real = sentryscan::lazy_function_or_null<decltype(&::libssh2_init)>({kLibssh2}, "libssh2_init");
  return real;
}

// The known-hosts lists made for each session and not freed yet. libgit2
// 1.5 (Debian 12) makes one for every ssh connection and frees it only when
// the connection fails (libgit2 #6598, fixed in 1.7): about 70 KB a
// connection with a real ~/.ssh/known_hosts, one for each repository an
// organisation audit clones over ssh. The stubs see both ends, so a list
// still held when its session is freed is freed first, and libgit2's own
// free of a list already freed here is not passed on.
struct KnownHosts {
  std::mutex mutex;
  std::vector<std::pair<LIBSSH2_SESSION*, LIBSSH2_KNOWNHOSTS*>> held;
};

KnownHosts& known_hosts() {
  static KnownHosts lists;
  return lists;
}

// Opens libssh2 and makes the pending libssh2_init; false when it cannot be loaded.
bool open_libssh2() {
  Libssh2State& state = ssh_state();
  std::lock_guard lock(state.mutex);
  if (!state.tried) {
    state.tried = true;
    const auto init = real_libssh2_init();
    state.open = init && init(state.flags) == 0;
  }
  return state.open;
}

}  // namespace

// Each stub resolves the real function once (a thread-safe static) and calls
// it. Every function below but libssh2_session_init_ex takes an object that
// only an open library made, so the library is open by then.
#define SENTRYSCAN_REAL(name) static const auto real = libssh2<decltype(&::name)>(#name)

extern "C" {

int libssh2_init(int flags) {
  Libssh2State& state = ssh_state();
  std::lock_guard lock(state.mutex);
  state.flags = flags;
  if (!state.open) return 0;  // made when the library is opened
  return real_libssh2_init()(flags);
}

void libssh2_exit(void) {
  Libssh2State& state = ssh_state();
  std::lock_guard lock(state.mutex);
  if (!state.open) return;
  static const auto real = libssh2<decltype(&::libssh2_exit)>("libssh2_exit");
  real();
  // The next libssh2_init is made for real (above): the library stays open.
}

LIBSSH2_SESSION* libssh2_session_init_ex(void* (*my_alloc)(size_t count, void** abstract),
                                         void (*my_free)(void* ptr, void** abstract),
                                         void* (*my_realloc)(void* ptr, size_t count, void** abstract),
                                         void* abstract) {
  if (!open_libssh2()) return nullptr;
  SENTRYSCAN_REAL(libssh2_session_init_ex);
  return real(my_alloc, my_free, my_realloc, abstract);
}

int libssh2_agent_connect(LIBSSH2_AGENT* agent) {
  SENTRYSCAN_REAL(libssh2_agent_connect);
  return real(agent);
}

int libssh2_agent_disconnect(LIBSSH2_AGENT* agent) {
  SENTRYSCAN_REAL(libssh2_agent_disconnect);
  return real(agent);
}

void libssh2_agent_free(LIBSSH2_AGENT* agent) {
  SENTRYSCAN_REAL(libssh2_agent_free);
  real(agent);
}

int libssh2_agent_get_identity(LIBSSH2_AGENT* agent, struct libssh2_agent_publickey** store,
                               struct libssh2_agent_publickey* prev) {
  SENTRYSCAN_REAL(libssh2_agent_get_identity);
  return real(agent, store, prev);
}

LIBSSH2_AGENT* libssh2_agent_init(LIBSSH2_SESSION* session) {
  SENTRYSCAN_REAL(libssh2_agent_init);
  return real(session);
}

int libssh2_agent_list_identities(LIBSSH2_AGENT* agent) {
  SENTRYSCAN_REAL(libssh2_agent_list_identities);
  return real(agent);
}

int libssh2_agent_userauth(LIBSSH2_AGENT* agent, const char* username, struct libssh2_agent_publickey* identity) {
  SENTRYSCAN_REAL(libssh2_agent_userauth);
  return real(agent, username, identity);
}

int libssh2_channel_close(LIBSSH2_CHANNEL* channel) {
  SENTRYSCAN_REAL(libssh2_channel_close);
  return real(channel);
}

int libssh2_channel_free(LIBSSH2_CHANNEL* channel) {
  SENTRYSCAN_REAL(libssh2_channel_free);
  return real(channel);
}

LIBSSH2_CHANNEL* libssh2_channel_open_ex(LIBSSH2_SESSION* session, const char* channel_type,
                                         unsigned int channel_type_len, unsigned int window_size,
                                         unsigned int packet_size, const char* message, unsigned int message_len) {
  SENTRYSCAN_REAL(libssh2_channel_open_ex);
  return real(session, channel_type, channel_type_len, window_size, packet_size, message, message_len);
}

int libssh2_channel_process_startup(LIBSSH2_CHANNEL* channel, const char* request, unsigned int request_len,
                                    const char* message, unsigned int message_len) {
  SENTRYSCAN_REAL(libssh2_channel_process_startup);
  return real(channel, request, request_len, message, message_len);
}

ssize_t libssh2_channel_read_ex(LIBSSH2_CHANNEL* channel, int stream_id, char* buf, size_t buflen) {
  SENTRYSCAN_REAL(libssh2_channel_read_ex);
  return real(channel, stream_id, buf, buflen);
}

void libssh2_channel_set_blocking(LIBSSH2_CHANNEL* channel, int blocking) {
  SENTRYSCAN_REAL(libssh2_channel_set_blocking);
  real(channel, blocking);
}

ssize_t libssh2_channel_write_ex(LIBSSH2_CHANNEL* channel, int stream_id, const char* buf, size_t buflen) {
  SENTRYSCAN_REAL(libssh2_channel_write_ex);
  return real(channel, stream_id, buf, buflen);
}

const char* libssh2_hostkey_hash(LIBSSH2_SESSION* session, int hash_type) {
  SENTRYSCAN_REAL(libssh2_hostkey_hash);
  return real(session, hash_type);
}

int libssh2_knownhost_checkp(LIBSSH2_KNOWNHOSTS* hosts, const char* host, int port, const char* key, size_t keylen,
                             int typemask, struct libssh2_knownhost** knownhost) {
  SENTRYSCAN_REAL(libssh2_knownhost_checkp);
  return real(hosts, host, port, key, keylen, typemask, knownhost);
}

void libssh2_knownhost_free(LIBSSH2_KNOWNHOSTS* hosts) {
  SENTRYSCAN_REAL(libssh2_knownhost_free);
  {
    KnownHosts& lists = known_hosts();
    std::lock_guard lock(lists.mutex);
    const auto it = std::find_if(lists.held.begin(), lists.held.end(), [&](const auto& h) { return h.second == hosts; });
    if (it == lists.held.end()) return;  // freed with its session already
    lists.held.erase(it);
  }
  real(hosts);
}

LIBSSH2_KNOWNHOSTS* libssh2_knownhost_init(LIBSSH2_SESSION* session) {
  SENTRYSCAN_REAL(libssh2_knownhost_init);
  LIBSSH2_KNOWNHOSTS* hosts = real(session);
  if (hosts) {
    KnownHosts& lists = known_hosts();
    std::lock_guard lock(lists.mutex);
    lists.held.emplace_back(session, hosts);
  }
  return hosts;
}

int libssh2_knownhost_readfile(LIBSSH2_KNOWNHOSTS* hosts, const char* filename, int type) {
  SENTRYSCAN_REAL(libssh2_knownhost_readfile);
  return real(hosts, filename, type);
}

void** libssh2_session_abstract(LIBSSH2_SESSION* session) {
  SENTRYSCAN_REAL(libssh2_session_abstract);
  return real(session);
}

int libssh2_session_disconnect_ex(LIBSSH2_SESSION* session, int reason, const char* description, const char* lang) {
  SENTRYSCAN_REAL(libssh2_session_disconnect_ex);
  return real(session, reason, description, lang);
}

int libssh2_session_free(LIBSSH2_SESSION* session) {
  SENTRYSCAN_REAL(libssh2_session_free);
  // The session's lists first: they are freed with its allocator.
  std::vector<LIBSSH2_KNOWNHOSTS*> lists_of_session;
  {
    KnownHosts& lists = known_hosts();
    std::lock_guard lock(lists.mutex);
    for (const auto& [owner, hosts] : lists.held)
      if (owner == session) lists_of_session.push_back(hosts);
  }
  for (LIBSSH2_KNOWNHOSTS* hosts : lists_of_session) libssh2_knownhost_free(hosts);
  return real(session);
}

int libssh2_session_handshake(LIBSSH2_SESSION* session, libssh2_socket_t sock) {
  SENTRYSCAN_REAL(libssh2_session_handshake);
  return real(session, sock);
}

const char* libssh2_session_hostkey(LIBSSH2_SESSION* session, size_t* len, int* type) {
  SENTRYSCAN_REAL(libssh2_session_hostkey);
  return real(session, len, type);
}

int libssh2_session_last_error(LIBSSH2_SESSION* session, char** errmsg, int* errmsg_len, int want_buf) {
  SENTRYSCAN_REAL(libssh2_session_last_error);
  return real(session, errmsg, errmsg_len, want_buf);
}

int libssh2_session_method_pref(LIBSSH2_SESSION* session, int method_type, const char* prefs) {
  SENTRYSCAN_REAL(libssh2_session_method_pref);
  return real(session, method_type, prefs);
}

void libssh2_session_set_blocking(LIBSSH2_SESSION* session, int blocking) {
  SENTRYSCAN_REAL(libssh2_session_set_blocking);
  real(session, blocking);
}

int libssh2_userauth_authenticated(LIBSSH2_SESSION* session) {
  SENTRYSCAN_REAL(libssh2_userauth_authenticated);
  return real(session);
}

int libssh2_userauth_keyboard_interactive_ex(
    LIBSSH2_SESSION* session, const char* username, unsigned int username_len,
    void (*response_callback)(const char* name, int name_len, const char* instruction, int instruction_len,
                              int num_prompts, const LIBSSH2_USERAUTH_KBDINT_PROMPT* prompts,
                              LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract)) {
  SENTRYSCAN_REAL(libssh2_userauth_keyboard_interactive_ex);
  return real(session, username, username_len, response_callback);
}

char* libssh2_userauth_list(LIBSSH2_SESSION* session, const char* username, unsigned int username_len) {
  SENTRYSCAN_REAL(libssh2_userauth_list);
  return real(session, username, username_len);
}

int libssh2_userauth_password_ex(LIBSSH2_SESSION* session, const char* username, unsigned int username_len,
                                 const char* password, unsigned int password_len,
                                 void (*passwd_change_cb)(LIBSSH2_SESSION* session, char** newpw, int* newpw_len,
                                                          void** abstract)) {
  SENTRYSCAN_REAL(libssh2_userauth_password_ex);
  return real(session, username, username_len, password, password_len, passwd_change_cb);
}

int libssh2_userauth_publickey(LIBSSH2_SESSION* session, const char* username, const unsigned char* pubkeydata,
                               size_t pubkeydata_len,
                               int (*sign_callback)(LIBSSH2_SESSION* session, unsigned char** sig, size_t* sig_len,
                                                    const unsigned char* data, size_t data_len, void** abstract),
                               void** abstract) {
  SENTRYSCAN_REAL(libssh2_userauth_publickey);
  return real(session, username, pubkeydata, pubkeydata_len, sign_callback, abstract);
}

int libssh2_userauth_publickey_fromfile_ex(LIBSSH2_SESSION* session, const char* username, unsigned int username_len,
                                           const char* publickey, const char* privatekey, const char* passphrase) {
  SENTRYSCAN_REAL(libssh2_userauth_publickey_fromfile_ex);
  return real(session, username, username_len, publickey, privatekey, passphrase);
}

int libssh2_userauth_publickey_frommemory(LIBSSH2_SESSION* session, const char* username, size_t username_len,
                                          const char* publickeyfiledata, size_t publickeyfiledata_len,
                                          const char* privatekeyfiledata, size_t privatekeyfiledata_len,
                                          const char* passphrase) {
  SENTRYSCAN_REAL(libssh2_userauth_publickey_frommemory);
  return real(session, username, username_len, publickeyfiledata, publickeyfiledata_len, privatekeyfiledata,
              privatekeyfiledata_len, passphrase);
}

}  // extern "C"
