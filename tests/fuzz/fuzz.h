/* SPDX-License-Identifier: GPL-3.0-or-later
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): a context, a private
 * scratch directory for the parsers that read files, and the libFuzzer
 * entry point each target defines. */
#ifndef TRUCE_FUZZ_H
#define TRUCE_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <truce/truce.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* A context for one input (free with truce_ctx_free). Aborts on ENOMEM:
 * the fuzzer must not mistake it for a finding. */
truce_ctx* fuzz_ctx(void);
/* PATH of a file NAME in the process's scratch directory, holding the
 * size bytes at data; returns its path (static storage, one per name
 * slot: slot 0..3). */
const char* fuzz_file(int slot, const char* name, const void* data,
                      size_t size);
/* The scratch directory (created on first use, removed at exit). */
const char* fuzz_dir(void);
#endif
