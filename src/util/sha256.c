/* SPDX-License-Identifier: MIT */
/* SHA-256 through OpenSSL's libcrypto (EVP). */
#include "util/sha256.h"

#include <assert.h>
#include <stdlib.h>

#include <openssl/evp.h>

struct ra_sha256 {
    EVP_MD_CTX *ctx;
};

int ra_sha256_new(struct ra_sha256 **out, struct ra_err *err)
{
    struct ra_sha256 *h = ra_xcalloc(1, sizeof(*h));

    *out = NULL;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        ra_sha256_free(h);
        return ra_err_set(err, RA_ERROR, "sha256: cannot initialise libcrypto digest");
    }
    *out = h;
    return 0;
}

void ra_sha256_update(struct ra_sha256 *h, const void *data, size_t len)
{
    int ok = EVP_DigestUpdate(h->ctx, data, len);
    assert(ok == 1);
    (void)ok;
}

void ra_sha256_final(struct ra_sha256 *h, uint8_t out[RA_SHA256_LEN])
{
    unsigned int n = 0;
    int ok = EVP_DigestFinal_ex(h->ctx, out, &n);
    assert(ok == 1 && n == RA_SHA256_LEN);
    (void)ok;
}

void ra_sha256_reset(struct ra_sha256 *h)
{
    int ok = EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
    assert(ok == 1);
    (void)ok;
}

void ra_sha256_free(struct ra_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

void ra_sha256_buf(uint8_t out[RA_SHA256_LEN], const void *data, size_t len)
{
    unsigned int n = 0;
    int ok = EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
    assert(ok == 1);
    (void)ok;
}
