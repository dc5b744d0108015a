// The GSSAPI functions libgit2's Negotiate (SPNEGO/Kerberos) authentication
// over HTTP calls, opened on first use (libssh2.cpp says why). libgit2 calls
// them only with "default" credentials, which sentryscan never offers
// (source/remote/materialize.cpp: a Negotiate challenge fails as "asks for
// credentials"), so they are here for the link, and open the library if a
// later use ever reaches them. Debian has no GSSAPI
// headers without libkrb5-dev, and only the C binding of RFC 2744 matters
// here: its types are declared below (handles are opaque pointers).
#include <cstdint>

#include "core/lazy_library.h"

namespace {

using OM_uint32 = std::uint32_t;
struct gss_OID_desc {
  OM_uint32 length;
  void* elements;
};
using gss_OID = gss_OID_desc*;
using gss_buffer_t = void*;
using gss_name_t = void*;
using gss_ctx_id_t = void*;
using gss_cred_id_t = void*;
using gss_OID_set = void*;
using gss_channel_bindings_t = void*;

constexpr OM_uint32 kFailure = 13u << 16;  // GSS_S_FAILURE

// The real function, or null when libgssapi_krb5 cannot be opened.
template <class F>
F gssapi(const char* symbol) {
  return sentryscan::lazy_function_or_null<F>({"libgssapi_krb5.so.2"}, symbol);
}

// 1.2.840.113554.1.2.1.4, the OID of GSS_C_NT_HOSTBASED_SERVICE (RFC 2744).
const unsigned char kHostBasedServiceBytes[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x04};
gss_OID_desc host_based_service{sizeof kHostBasedServiceBytes, const_cast<unsigned char*>(kHostBasedServiceBytes)};

}  // namespace

// Each stub resolves the real function once (a thread-safe static); without
// the library it fails with GSS_S_FAILURE, and libgit2 gives up on Negotiate.
#define SENTRYSCAN_REAL(name)                                \
  static const auto real = gssapi<decltype(&::name)>(#name); \
  if (!real) {                                               \
    if (minor_status) *minor_status = 0;                     \
    return kFailure;                                         \
  }

extern "C" {

// libgit2 reads this name-type constant, which the library exports as data.
// Ours has the same value, and gss_import_name hands the library its own.
// Not const: its declaration in gssapi.h is `extern gss_OID`.
gss_OID GSS_C_NT_HOSTBASED_SERVICE = &host_based_service;

OM_uint32 gss_import_name(OM_uint32* minor_status, gss_buffer_t input_name_buffer, gss_OID input_name_type,
                          gss_name_t* output_name) {
  SENTRYSCAN_REAL(gss_import_name);
  if (input_name_type == &host_based_service) {
    static const auto* real_type = gssapi<gss_OID*>("GSS_C_NT_HOSTBASED_SERVICE");
    if (real_type) input_name_type = *real_type;
  }
  return real(minor_status, input_name_buffer, input_name_type, output_name);
}

OM_uint32 gss_indicate_mechs(OM_uint32* minor_status, gss_OID_set* mech_set) {
  SENTRYSCAN_REAL(gss_indicate_mechs);
  return real(minor_status, mech_set);
}

OM_uint32 gss_init_sec_context(OM_uint32* minor_status, gss_cred_id_t claimant_cred_handle,
                               gss_ctx_id_t* context_handle, gss_name_t target_name, gss_OID mech_type,
                               OM_uint32 req_flags, OM_uint32 time_req, gss_channel_bindings_t input_chan_bindings,
                               gss_buffer_t input_token, gss_OID* actual_mech_type, gss_buffer_t output_token,
                               OM_uint32* ret_flags, OM_uint32* time_rec) {
  SENTRYSCAN_REAL(gss_init_sec_context);
  return real(minor_status, claimant_cred_handle, context_handle, target_name, mech_type, req_flags, time_req,
              input_chan_bindings, input_token, actual_mech_type, output_token, ret_flags, time_rec);
}

OM_uint32 gss_delete_sec_context(OM_uint32* minor_status, gss_ctx_id_t* context_handle, gss_buffer_t output_token) {
  SENTRYSCAN_REAL(gss_delete_sec_context);
  return real(minor_status, context_handle, output_token);
}

OM_uint32 gss_display_status(OM_uint32* minor_status, OM_uint32 status_value, int status_type, gss_OID mech_type,
                             OM_uint32* message_context, gss_buffer_t status_string) {
  SENTRYSCAN_REAL(gss_display_status);
  return real(minor_status, status_value, status_type, mech_type, message_context, status_string);
}

OM_uint32 gss_release_buffer(OM_uint32* minor_status, gss_buffer_t buffer) {
  SENTRYSCAN_REAL(gss_release_buffer);
  return real(minor_status, buffer);
}

OM_uint32 gss_release_name(OM_uint32* minor_status, gss_name_t* input_name) {
  SENTRYSCAN_REAL(gss_release_name);
  return real(minor_status, input_name);
}

OM_uint32 gss_release_oid_set(OM_uint32* minor_status, gss_OID_set* set) {
  SENTRYSCAN_REAL(gss_release_oid_set);
  return real(minor_status, set);
}

}  // extern "C"
