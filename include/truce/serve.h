/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * truce/serve.h: the what-if server behind `truce serve` (docs/serve.md).
 *
 * One page with sliders for a scenario's levers and uncertain numbers; each
 * change reruns the ensemble in the server and the page redraws the
 * report's charts. The server reads the scenario's text and its web assets
 * once, at start; after that it reads and writes no file ("save as
 * scenario" sends the YAML to the browser). Requests are bounded: body
 * size, connections, a rate of computations, one computation at a time,
 * the newest change cancelling the one running.
 */
#ifndef TRUCE_SERVE_H
#define TRUCE_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "truce/core.h"
#include "truce/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* All fields public; set by the caller (a zero or NULL field is the
 * default its comment gives). */
typedef struct {
  const char* bind;         /* address to listen on; NULL: "127.0.0.1" */
  int port;                 /* 0: a free port (truce_serve_port says which) */
  int allow_remote;         /* required to bind a non-loopback address */
  uint64_t runs;            /* runs of a full computation; 0: 1000 */
  uint64_t first_runs;      /* runs of the quick first pass; 0: 100 */
  int threads;              /* of the ensemble; 0: OpenMP's default */
  size_t max_body;          /* bytes of a request body; 0: 16 KiB */
  double rate;              /* computations per second (burst 2x); 0: 10 */
  unsigned max_connections; /* 0: 32 */
} truce_serve_opts;

typedef struct truce_server truce_server;

/* Start serving sc (which must outlive the server and not change) in
 * background threads. Fails with TRUCE_EINVAL for a non-loopback `bind`
 * without allow_remote, TRUCE_EIO when the address cannot be bound. */
TRUCE_API int truce_serve_start(truce_ctx* ctx, const truce_scenario* sc,
                                const truce_serve_opts* opts,
                                truce_server** out);
/* The port and address it listens on. */
TRUCE_API int truce_serve_port(const truce_server* s);
TRUCE_API const char* truce_serve_address(const truce_server* s);
/* 1 when the address is a loopback one (127.0.0.0/8 or ::1). */
TRUCE_API int truce_serve_is_loopback(const char* address);
/* Stop (cancelling a running computation) and free; NULL accepted. */
TRUCE_API void truce_serve_stop(truce_server* s);

#ifdef __cplusplus
}
#endif
#endif
