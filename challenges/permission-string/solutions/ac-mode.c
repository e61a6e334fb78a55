#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    char kind[4], octal[16];
    static const int special[3] = {04000, 02000, 01000};
    static const char mark[3] = {'s', 's', 't'};
    for (int i = 0; i < n; i++) {
        if (scanf("%3s %15s", kind, octal) != 2) return 1;
        int mode = (int)strtol(octal, NULL, 8);
        char s[11];
        s[0] = kind[0];
        for (int t = 0; t < 3; t++) {
            int bits = (mode >> (6 - 3 * t)) & 7;
            s[1 + 3 * t] = (bits & 4) ? 'r' : '-';
            s[2 + 3 * t] = (bits & 2) ? 'w' : '-';
            if (mode & special[t])
                s[3 + 3 * t] = (bits & 1) ? mark[t] : (char)(mark[t] - 'a' + 'A');
            else
                s[3 + 3 * t] = (bits & 1) ? 'x' : '-';
        }
        s[10] = '\0';
        puts(s);
    }
    return 0;
}
