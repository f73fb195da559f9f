/* SPDX-License-Identifier: GPL-3.0-or-later
 * truce/truce.h: umbrella header for libtruce. */
#ifndef TRUCE_TRUCE_H
#define TRUCE_TRUCE_H
#include "truce/bargain.h"
#include "truce/calib.h"
#include "truce/core.h"
#include "truce/ensemble.h"
#include "truce/explore.h"
#include "truce/hindcast.h"
#include "truce/io.h"
#include "truce/rng.h"
#include "truce/scenario.h"
#include "truce/serve.h"
#include "truce/sim.h"
#include "truce/stake.h"
#include "truce/warn.h"
#endif
