// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The JSON text writer: the same text cJSON prints for the same values. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "lib/runner.h"
#include "output/json_writer.h"

static bool same_as_cjson(struct json_writer *w, cJSON *ref)
{
	char *want = cJSON_PrintUnformatted(ref);
	bool same = want && jw_len(w) == strlen(want) && !memcmp(jw_text(w), want, jw_len(w));

	cJSON_free(want);
	cJSON_Delete(ref);
	return same;
}

TEST(json_writer_escapes_every_byte_as_cjson)
{
	struct json_writer w;
	char all[256];

	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	jw_init(&w, 0);
	jw_str(&w, all);
	CHECK(same_as_cjson(&w, cJSON_CreateString(all)));
	jw_free(&w);
}

TEST(json_writer_nesting_commas_and_numbers)
{
	struct json_writer w;
	cJSON *ref = cJSON_CreateObject(), *arr;

	jw_init(&w, 16);	/* headroom is not part of the text */
	jw_open(&w, '{');
	jw_kstr(&w, "type", "packets");
	jw_ku64(&w, "first", 0);
	jw_ku64(&w, "last", 4294967296ull);
	jw_key(&w, "packets");
	jw_open(&w, '[');
	jw_open(&w, '{');
	jw_kstr(&w, "a\"b", "x\ny");
	jw_close(&w, '}');
	jw_open(&w, '{');
	jw_key(&w, "ok");
	jw_bool(&w, false);
	jw_close(&w, '}');
	jw_close(&w, ']');
	jw_key(&w, "ts");
	jw_raw(&w, "1.000005");
	jw_close(&w, '}');
	CHECK(!jw_failed(&w));
	cJSON_AddStringToObject(ref, "type", "packets");
	cJSON_AddNumberToObject(ref, "first", 0);
	cJSON_AddNumberToObject(ref, "last", 4294967296.0);
	arr = cJSON_AddArrayToObject(ref, "packets");
	cJSON_AddItemToArray(arr, cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetArrayItem(arr, 0), "a\"b", "x\ny");
	cJSON_AddItemToArray(arr, cJSON_CreateObject());
	cJSON_AddFalseToObject(cJSON_GetArrayItem(arr, 1), "ok");
	cJSON_AddRawToObject(ref, "ts", "1.000005");
	CHECK(same_as_cjson(&w, ref));
	/* reset keeps the headroom and starts a fresh text */
	jw_reset(&w);
	jw_u64(&w, 7);
	CHECK_INT(jw_len(&w), 1);
	CHECK(w.start == 16);
	jw_free(&w);
}
