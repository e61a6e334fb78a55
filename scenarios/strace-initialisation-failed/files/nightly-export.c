/* nightly-export: writes the day's billing export for the finance team. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "paths.h"

static const char *dec(const unsigned char *s, size_t n)
{
    static char buf[4][256];
    static int k;
    char *b = buf[k++ % 4];
    for (size_t i = 0; i < n && i < 255; i++)
        b[i] = (char)(s[i] ^ 0x5a);
    b[n < 255 ? n : 255] = 0;
    return b;
}

static int fail(void)
{
    fputs("nightly-export: initialisation failed\n", stderr);
    return 1;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = 0;
}

static void parse(FILE *f, char *spool, size_t spool_sz, int *rows, char *site, size_t site_sz)
{
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *p = line, *eq;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '#' || *p == '\n' || !*p) continue;
        if (!(eq = strchr(p, '='))) continue;
        *eq = 0;
        char *v = eq + 1;
        trim(p);
        while (*v == ' ' || *v == '\t') v++;
        trim(v);
        if (!strcmp(p, "spool_dir")) snprintf(spool, spool_sz, "%s", v);
        else if (!strcmp(p, "rows")) *rows = atoi(v);
        else if (!strcmp(p, "site")) snprintf(site, site_sz, "%s", v);
    }
}

int main(void)
{
    char spool[256] = "", site[64] = "default", key[128] = "", line[256], path[512];
    int rows = 100;
    FILE *f;

    if (!(f = fopen(dec(P_CONF, P_CONF_LEN), "r")))
        return fail();
    parse(f, spool, sizeof spool, &rows, site, sizeof site);
    fclose(f);
    if ((f = fopen(dec(P_LOCAL, P_LOCAL_LEN), "r"))) {      /* optional overrides */
        parse(f, spool, sizeof spool, &rows, site, sizeof site);
        fclose(f);
    }
    const char *home = getenv("HOME");
    if (home) {                                             /* optional per-user overrides */
        snprintf(path, sizeof path, "%s%s", home, dec(P_RC, P_RC_LEN));
        if ((f = fopen(path, "r"))) {
            parse(f, spool, sizeof spool, &rows, site, sizeof site);
            fclose(f);
        }
    }
    if (!spool[0] || rows <= 0)
        return fail();

    if (!(f = fopen(dec(P_LIC, P_LIC_LEN), "r")))
        return fail();
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "KEY=", 4)) {
            snprintf(key, sizeof key, "%s", line + 4);
            trim(key);
        }
    fclose(f);
    if (strlen(key) < 8)
        return fail();

    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char day[16];
    strftime(day, sizeof day, "%Y%m%d", &tm);
    snprintf(path, sizeof path, "%s/export-%s.csv", spool, day);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    if (fd < 0)
        return fail();
    FILE *out = fdopen(fd, "w");
    if (!out)
        return fail();
    fprintf(out, "# site=%s licence=%.4s...\ninvoice,customer,amount_cents\n", site, key);
    srand((unsigned)now);
    for (int i = 1; i <= rows; i++)
        fprintf(out, "INV-%s-%05d,C%04d,%d\n", day, i, rand() % 9000 + 1000, rand() % 500000 + 100);
    if (fclose(out) != 0)
        return fail();
    printf("nightly-export: wrote %d rows for site %s to %s (licence %s)\n", rows, site, path, key);
    return 0;
}
