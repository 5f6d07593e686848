// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* MAC vendors: CSV with quoted fields, longest prefix wins, local bit. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/runner.h"
#include "scan/oui.h"
#include "scan/scan.h"

TEST(scan_csv_quoted_fields)
{
	char buf[256], *f[4];

	CHECK_INT(csv_split("MA-L,005056,\"VMware, Inc.\",3401 Hillview\r\n", buf, sizeof(buf), f, 4), 4);
	CHECK_STR(f[1], "005056");
	CHECK_STR(f[2], "VMware, Inc.");
	CHECK_STR(f[3], "3401 Hillview");
	CHECK_INT(csv_split("a,\"say \"\"hi\"\", ok\",", buf, sizeof(buf), f, 4), 3);
	CHECK_STR(f[1], "say \"hi\", ok");
	CHECK_STR(f[2], "");
	CHECK_INT(csv_split("a,\"open", buf, sizeof(buf), f, 4), -1);
	CHECK_INT(csv_split("x,y", buf, 3, f, 4), -1);	/* does not fit: refused, not cut */
}

TEST(scan_oui_longest_prefix_wins)
{
	char dir[] = "/tmp/gt-oui-XXXXXX", path[64];
	static const uint8_t inside_mas[6] = { 0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x04 };
	static const uint8_t outside_mas[6] = { 0x70, 0xb3, 0xd5, 0x00, 0x00, 0x01 };
	static const uint8_t in_mam[6] = { 0x20, 0x85, 0x93, 0xb0, 0x00, 0x01 };
	FILE *f;

	CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/reg.csv", dir);
	f = fopen(path, "w");
	CHECK(f);
	fputs("Registry,Assignment,Organization Name,Organization Address\n"
	      "MA-L,70B3D5,IEEE Registration Authority,\"445 Hoes Lane, Piscataway\"\n"
	      "MA-S,70B3D5F2F,TELEPLATFORMS,\"Polbina st., 3/1 Moscow\"\n"
	      "MA-L,208593,Short Co,\n"
	      "MA-M,208593B,\"IOG Products, LLC\",\n", f);
	fclose(f);
	oui_reset();
	CHECK_INT(oui_load_file(path), 4);
	unlink(path);
	rmdir(dir);
	CHECK_STR(oui_vendor(inside_mas), "TELEPLATFORMS");
	CHECK_STR(oui_vendor(outside_mas), "IEEE Registration Authority");
	CHECK_STR(oui_vendor(in_mam), "IOG Products, LLC");
	oui_reset();
}

TEST(scan_oui_debian_registries)
{
	static const uint8_t intel[6] = { 0x00, 0x1b, 0x21, 1, 2, 3 };
	static const uint8_t vmware[6] = { 0x00, 0x50, 0x56, 1, 2, 3 };
	static const uint8_t local[6] = { 0x0a, 0x11, 0x22, 0x33, 0x44, 0x55 };

	if (access("/usr/share/ieee-data/oui.csv", R_OK))
		SKIP("ieee-data is not installed");
	oui_reset();
	CHECK_INT(oui_load_file("/usr/share/ieee-data/oui.csv") > 30000, 1);
	CHECK_STR(oui_vendor(intel), "Intel Corporate");
	CHECK_STR(oui_vendor(vmware), "VMware, Inc.");
	CHECK(oui_vendor(local) == NULL);
	CHECK(mac_is_local(local));
	CHECK(!mac_is_local(intel));
	oui_reset();
}
