/* SPDX-License-Identifier: MIT */
/* Functions this project does not call (git banned.h, curl checksrc). */
#ifndef RA_UTIL_BANNED_H
#define RA_UTIL_BANNED_H

#define RA_BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) RA_BANNED(strcpy)
#undef strcat
#define strcat(x, y) RA_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) RA_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) RA_BANNED(strncat)
#undef sprintf
#define sprintf(...) RA_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) RA_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) RA_BANNED(strtok)
#undef atoi
#define atoi(x) RA_BANNED(atoi)
#undef atol
#define atol(x) RA_BANNED(atol)
#undef gmtime
#define gmtime(t) RA_BANNED(gmtime)
#undef localtime
#define localtime(t) RA_BANNED(localtime)
#undef mktemp
#define mktemp(x) RA_BANNED(mktemp)

#endif
