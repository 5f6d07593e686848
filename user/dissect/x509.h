/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * X.509 certificates (RFC 5280), best effort and without a crypto library: a
 * bounded DER walker that finds the issuer and subject names of a certificate
 * and shows their attribute values as Wireshark's x509sat.* fields.
 */
#ifndef GT_DISSECT_X509_H
#define GT_DISSECT_X509_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

/*
 * Dissects the DER certificate at view range [i, i + n): text nodes "Issuer:"
 * and "Subject:" with their attributes. Writes the subject's common name (or
 * "") into cn. Returns false when the DER does not parse (nothing is marked:
 * a certificate is opaque to TLS, so its shape is not a TLS error).
 */
bool dx_x509(const struct dx_buf *b, uint32_t i, uint32_t n, char *cn, size_t cn_size);

#endif /* GT_DISSECT_X509_H */
