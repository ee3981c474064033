/* SPDX-License-Identifier: MIT */
/* regautopsy entry point: global options and subcommand dispatch. */
#include <stdio.h>

int main(void)
{
    puts("regautopsy " RA_VERSION);
    return 0;
}
