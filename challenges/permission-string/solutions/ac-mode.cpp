#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n;
    std::cin >> n;
    std::string out;
    out.reserve(static_cast<size_t>(n) * 11);
    const int special[3] = {04000, 02000, 01000};
    const char mark[3] = {'s', 's', 't'};
    for (int i = 0; i < n; i++) {
        std::string kind, octal;
        std::cin >> kind >> octal;
        int mode = std::stoi(octal, nullptr, 8);
        out += kind[0];
        for (int t = 0; t < 3; t++) {
            int bits = (mode >> (6 - 3 * t)) & 7;
            out += (bits & 4) ? 'r' : '-';
            out += (bits & 2) ? 'w' : '-';
            if (mode & special[t])
                out += (bits & 1) ? mark[t] : static_cast<char>(mark[t] - 'a' + 'A');
            else
                out += (bits & 1) ? 'x' : '-';
        }
        out += '\n';
    }
    std::cout << out;
}
