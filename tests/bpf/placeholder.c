// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "lib/runner.h"
#include "gotracer.skel.h"

TEST(bpf_object_loads)
{
	struct gotracer_bpf *skel = gotracer_bpf__open_and_load();

	CHECK(skel != NULL);
	gotracer_bpf__destroy(skel);
}
