/* SPDX-License-Identifier: MIT */
/* Open-addressing hash map with linear probing. */
#include "util/map.h"

#include <stdlib.h>

static uint64_t hash_bytes(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;

    if (len == 32) {
        /* likely a sha256 digest, whose bytes are uniform; but names can be 32 bytes
         * long too, so fold in every word, not just the first */
        uint64_t w[4];
        memcpy(w, p, sizeof(w));
        h = w[0] * 0x9e3779b97f4a7c15ull;
        h = (h ^ w[1]) * 0x9e3779b97f4a7c15ull;
        h = (h ^ w[2]) * 0x9e3779b97f4a7c15ull;
        h = (h ^ w[3]) * 0x9e3779b97f4a7c15ull;
        return (h ^ h >> 32) | 1;
    }
    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 29;
    return h | 1; /* 0 marks an empty slot */
}

static size_t find(const struct ra_map *m, const void *key, size_t keylen, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;

    for (;;) {
        const struct ra_map_slot *s = &m->slots[i];
        if (!s->hash)
            return i;
        if (s->hash == h && s->keylen == keylen && !memcmp(s->key, key, keylen))
            return i;
        i = (i + 1) & mask;
    }
}

static void grow(struct ra_map *m)
{
    struct ra_map_slot *old = m->slots;
    size_t oldcap = m->cap, i;

    m->cap = oldcap ? oldcap * 2 : 16;
    m->slots = ra_xcalloc(m->cap, sizeof(*m->slots));
    for (i = 0; i < oldcap; i++) {
        if (old[i].hash)
            m->slots[find(m, old[i].key, old[i].keylen, old[i].hash)] = old[i];
    }
    free(old);
}

void *ra_map_get(const struct ra_map *m, const void *key, size_t keylen)
{
    size_t i;

    if (!m->cap)
        return NULL;
    i = find(m, key, keylen, hash_bytes(key, keylen));
    return m->slots[i].hash ? m->slots[i].value : NULL;
}

void *ra_map_gets(const struct ra_map *m, const char *key)
{
    return ra_map_get(m, key, strlen(key));
}

void **ra_map_slot(struct ra_map *m, const void *key, size_t keylen, int *created)
{
    uint64_t h = hash_bytes(key, keylen);
    struct ra_map_slot *s;

    if ((m->count + 1) * 4 > m->cap * 3)
        grow(m);
    s = &m->slots[find(m, key, keylen, h)];
    if (created)
        *created = !s->hash;
    if (!s->hash) {
        s->hash = h;
        s->key = key;
        s->keylen = keylen;
        s->value = NULL;
        m->count++;
    }
    return &s->value;
}

void *ra_map_put(struct ra_map *m, const void *key, size_t keylen, void *value)
{
    void **slot = ra_map_slot(m, key, keylen, NULL);
    void *old = *slot;

    *slot = value;
    return old;
}

int ra_map_next(const struct ra_map *m, size_t *iter, const void **key, size_t *keylen,
                void **value)
{
    while (*iter < m->cap) {
        const struct ra_map_slot *s = &m->slots[(*iter)++];
        if (s->hash) {
            if (key)
                *key = s->key;
            if (keylen)
                *keylen = s->keylen;
            if (value)
                *value = s->value;
            return 1;
        }
    }
    return 0;
}

void ra_map_release(struct ra_map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

/* Backward-shift deletion keeps linear probing chains intact without tombstones. */
void *ra_map_del(struct ra_map *m, const void *key, size_t keylen)
{
    size_t mask, i, j, home;
    void *old;

    if (!m->cap)
        return NULL;
    mask = m->cap - 1;
    i = find(m, key, keylen, hash_bytes(key, keylen));
    if (!m->slots[i].hash)
        return NULL;
    old = m->slots[i].value;
    for (j = (i + 1) & mask; m->slots[j].hash; j = (j + 1) & mask) {
        home = (size_t)m->slots[j].hash & mask;
        /* move slot j into the hole at i unless its home lies cyclically in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    memset(&m->slots[i], 0, sizeof(m->slots[i]));
    m->count--;
    return old;
}
