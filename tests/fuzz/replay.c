/* SPDX-License-Identifier: MIT */
/* Replays files through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer: each
 * argument is a file or a directory of files (sorted; dot files skipped). Each input is
 * copied into a buffer of exactly its size, as libFuzzer does, so that the sanitizers
 * catch reads past its end. Exits 0 when every input ran; a crash ends the process. */
#include "fuzz.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;
    int rc = -1;

    if (!f) {
        fprintf(stderr, "replay: cannot open '%s'\n", path);
        return -1;
    }
    if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0)
        goto done;
    data = malloc(size ? (size_t)size : 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
        goto done;
    fprintf(stderr, "replay: %s (%ld bytes)\n", path, size);
    LLVMFuzzerTestOneInput(data, (size_t)size);
    rc = 0;

done:
    if (rc < 0)
        fprintf(stderr, "replay: cannot read '%s'\n", path);
    free(data);
    fclose(f);
    return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Replay every regular file directly in dir; returns the count, or -1. */
static int replay_dir(const char *dir)
{
    struct dirent **names = NULL;
    char path[4096];
    struct stat st;
    int i, n, ran = 0;

    if ((n = scandir(dir, &names, not_dot, by_name)) < 0) {
        fprintf(stderr, "replay: cannot read directory '%s'\n", dir);
        return -1;
    }
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(path) < 0)
                ran = -1;
            else if (ran >= 0)
                ran++;
        }
        free(names[i]);
    }
    free(names);
    return ran;
}

int main(int argc, char **argv)
{
    struct stat st;
    int i, n, total = 0, bad = 0;

    for (i = 1; i < argc; i++) {
        if (stat(argv[i], &st) < 0) {
            fprintf(stderr, "replay: '%s' does not exist\n", argv[i]);
            bad = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if ((n = replay_dir(argv[i])) < 0)
                bad = 1;
            else
                total += n;
        } else if (replay_file(argv[i]) < 0) {
            bad = 1;
        } else {
            total++;
        }
    }
    fprintf(stderr, "replay: %d inputs ran\n", total);
    return bad;
}
